import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { ATTRIBUTION_MODELS } from '@ce/attribution';
import { RoiTotalDto } from '../../reports/dto/roi-report.dto';
import { DEFAULT_MODEL } from '../../reports/roi-query';

/**
 * The query of `GET /v1/campaigns/:id/report`. Only names and types are checked here (unknown
 * parameters are refused); the service checks the values and names every bad one.
 */
export class CampaignReportQuery {
  @ApiPropertyOptional({ enum: ATTRIBUTION_MODELS, default: DEFAULT_MODEL, description: 'The attribution model conversions and revenue are credited by.' })
  @IsOptional()
  @IsString()
  model?: string;

  @ApiPropertyOptional({ example: '2026-05-01', description: 'First day (UTC), YYYY-MM-DD, inclusive; absent for no lower bound.' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ example: '2026-05-31', description: 'Last day (UTC), inclusive, on or after from; absent for no upper bound.' })
  @IsOptional()
  @IsString()
  to?: string;
}

/**
 * One campaign's figures, in its currency: the same figures as a row of the ROI report (whose
 * definitions they share, without `model`), summed over its channels, plus the fields the
 * report had before it read the roll-ups.
 */
export class CampaignReportDto extends OmitType(RoiTotalDto, ['model'] as const) {
  @ApiProperty({ format: 'uuid' })
  campaignId!: string;

  @ApiProperty({ type: String, nullable: true, example: '2026-05-01', description: 'The first day asked for; null for no lower bound.' })
  from!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2026-05-31', description: 'The last day asked for; null for no upper bound.' })
  to!: string | null;

  @ApiProperty({ description: 'The same as delivered (kept for existing clients).' })
  sent!: number;

  @ApiProperty({ example: 1.5, description: 'The same as conversions (kept for existing clients).' })
  converted!: number;

  @ApiProperty({ example: 'last_touch', description: 'The attribution model conversions and revenue were credited by (`model`).' })
  attribution!: string;
}
