import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { ATTRIBUTION_MODELS } from '@ce/attribution';
import { BASE_CURRENCY } from '../../currency-rates/rate-input';
import { DEFAULT_MODEL, FORMATS, GROUP_BYS, MAX_RANGE_YEARS } from '../roi-query';

/**
 * The query of `GET /v1/reports/roi`. Only its names and types are checked here (unknown
 * parameters are refused); `parseRoiQuery` checks the values and reports every problem at once.
 */
export class RoiReportQuery {
  @ApiProperty({ example: '2026-05-01', description: 'First day (UTC), YYYY-MM-DD, inclusive.' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiProperty({ example: '2026-05-31', description: `Last day (UTC), inclusive; on or after from, at most ${MAX_RANGE_YEARS} years after it.` })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({
    example: 'last_touch,linear',
    default: DEFAULT_MODEL,
    description: `Comma-separated attribution models, side by side: ${ATTRIBUTION_MODELS.join(', ')}.`,
  })
  @IsOptional()
  @IsString()
  models?: string;

  @ApiPropertyOptional({ enum: GROUP_BYS, default: 'campaign' })
  @IsOptional()
  @IsString()
  groupBy?: string;

  @ApiPropertyOptional({ example: 'EUR', default: BASE_CURRENCY, description: 'The reporting currency (ISO 4217).' })
  @IsOptional()
  @IsString()
  currency?: string;

  @ApiPropertyOptional({ enum: FORMATS, default: 'json', description: '`csv` answers text/csv with the same fields.' })
  @IsOptional()
  @IsString()
  format?: string;
}

export class RoiTotalDto {
  @ApiProperty({ example: 'last_touch' })
  model!: string;

  @ApiProperty({ example: 'EUR', description: 'The reporting currency.' })
  currency!: string;

  @ApiProperty({ example: 1.5, description: 'Attributed conversions: the sum of the credits, to 4 decimals.' })
  conversions!: number;

  @ApiProperty({ example: '206.97', description: 'Attributed revenue, decimal string in the reporting currency.' })
  revenue!: string;

  @ApiProperty({ example: '80.50', description: 'Cost, decimal string in the reporting currency.' })
  cost!: string;

  @ApiProperty({ type: Number, nullable: true, example: 1.5711, description: '(revenue − cost) / cost, to 4 decimals; null when cost is 0.' })
  roi!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 2.5711, description: 'revenue / cost, to 4 decimals; null when cost is 0.' })
  roas!: number | null;

  @ApiProperty({ type: String, nullable: true, example: '80.50', description: 'cost / conversions, decimal string; null when conversions is 0.' })
  costPerAcquisition!: string | null;
}

export class RoiRowDto extends RoiTotalDto {
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'With groupBy campaign: the campaign; null for touches of no campaign.' })
  campaignId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Spring launch', description: 'With groupBy campaign: its name; "(no campaign)" when campaignId is null.' })
  campaignName?: string | null;

  @ApiPropertyOptional({ example: 'paid_search', description: 'With groupBy channel.' })
  channel?: string;
}

export class RoiReportDto {
  @ApiProperty({ example: '2026-05-01' })
  from!: string;

  @ApiProperty({ example: '2026-05-31' })
  to!: string;

  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @ApiProperty({ enum: GROUP_BYS })
  groupBy!: string;

  @ApiProperty({ type: [String], example: ['last_touch', 'linear'] })
  models!: string[];

  @ApiProperty({ type: [RoiRowDto], description: 'One row per group and model: by campaign name, channel, then model as asked.' })
  rows!: RoiRowDto[];

  @ApiProperty({ type: [RoiTotalDto], description: 'One per model, in the order asked, over every group.' })
  totals!: RoiTotalDto[];
}
