import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export class FieldProblemDto {
  @ApiProperty({ example: 'audience.leadIds[0]', description: 'Path to the field, dotted, with [i] for list items.' })
  path!: string;

  @ApiProperty({ example: 'must be a UUID' })
  message!: string;
}

/** RFC 9457 problem details, as every error is returned. */
export class ProblemDto {
  @ApiProperty({ example: '/problems/input-invalid', description: 'Identifies the kind of problem.' })
  type!: string;

  @ApiProperty({ example: 'Input invalid' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request has invalid fields.' })
  detail!: string;

  @ApiProperty({ example: '/v1/campaigns' })
  instance!: string;

  @ApiProperty({ example: 'INPUT_INVALID', description: 'Stable machine-readable code.' })
  code!: string;

  @ApiPropertyOptional({ type: [FieldProblemDto] })
  errors?: FieldProblemDto[];
}
