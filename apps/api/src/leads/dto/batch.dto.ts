import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { FieldProblemDto } from '../../common/problem';
import { LeadWriteDto } from './lead-write.dto';

export const MAX_BATCH = 10_000;

export class BatchLeadsDto {
  @ApiProperty({ type: [LeadWriteDto], description: `1 to ${MAX_BATCH} leads, each created or updated by email.` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH, { message: `must have at most ${MAX_BATCH} leads; split larger sets or use an import` })
  leads!: unknown[];
}

export class BatchItemResultDto {
  @ApiProperty({ description: 'Position in the request.' })
  index!: number;

  @ApiProperty({ enum: ['created', 'updated', 'unchanged', 'merged', 'rejected'], description: '`merged`: the same email came earlier in the batch; written together with that item.' })
  outcome!: string;

  @ApiPropertyOptional({ description: 'For `merged`: the index of the earlier item with the same email.' })
  mergedInto?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  id?: string;

  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'Why the lead was rejected; paths are within the lead.' })
  errors?: FieldProblemDto[];
}

export class BatchResultDto {
  @ApiProperty({ example: { created: 2, updated: 1, unchanged: 0, merged: 0, rejected: 1 } })
  counts!: Record<string, number>;

  @ApiProperty({ type: [BatchItemResultDto] })
  results!: BatchItemResultDto[];
}
