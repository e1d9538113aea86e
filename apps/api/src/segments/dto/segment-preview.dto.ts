import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';
import { LeadDto } from '../../leads/dto/lead.dto';
import { EXAMPLE_DEFINITION } from './segment.dto';

export class PreviewQuery {
  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 20, description: 'How many members to show.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  sample?: number;
}

export class PreviewDefinitionDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: EXAMPLE_DEFINITION, description: 'A definition to try before saving it.' })
  @IsObject()
  definition!: Record<string, unknown>;
}

/** The fields a preview shows of each sampled lead. */
export class SampleLeadDto extends PickType(LeadDto, ['id', 'email', 'firstName', 'lastName', 'score', 'lifecycleStage'] as const) {}

export class SegmentPreviewDto {
  @ApiProperty({ description: 'Leads in the segment now.', example: 1250 })
  count!: number;

  @ApiProperty({ type: [SampleLeadDto], description: 'Members with the highest scores first.' })
  sample!: SampleLeadDto[];
}
