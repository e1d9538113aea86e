import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { ATTRIBUTION_MODELS } from '@ce/attribution';
import { MAX_REPORT_ROWS } from '../roi-report.errors';
import { DEFAULT_MODEL, GROUP_BYS, INTERVALS } from '../roi-query';
import { ReportCurrencyQuery, ReportFormatQuery, ReportRangeQuery } from './report-query.dto';

/**
 * The query of `GET /v1/reports/roi`. Only its names and types are checked here (unknown
 * parameters are refused); `parseRoiQuery` checks the values and reports every problem at once.
 */
export class RoiReportQuery extends IntersectionType(ReportRangeQuery, ReportCurrencyQuery, ReportFormatQuery) {
  @ApiPropertyOptional({
    example: 'last_touch,linear',
    default: DEFAULT_MODEL,
    description: `Comma-separated attribution models, side by side: ${ATTRIBUTION_MODELS.join(', ')}.`,
  })
  @IsOptional()
  @IsString()
  models?: string;

  @ApiPropertyOptional({ enum: GROUP_BYS, default: 'campaign', description: '`none`: one group; rows carry only the model (and the period).' })
  @IsOptional()
  @IsString()
  groupBy?: string;

  @ApiPropertyOptional({
    enum: INTERVALS,
    description:
      'A time series: one row per period (its first day; weeks start on Monday; the first and last periods only count days in the range), ' +
      `group and model, zeros where nothing happened. At most ${MAX_REPORT_ROWS} rows (periods × groups × models), else 422 naming interval.`,
  })
  @IsOptional()
  @IsString()
  interval?: string;
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

  @ApiProperty({ example: 120, description: "Enrollments created, counted under the campaign's own channel." })
  enrolled!: number;

  @ApiProperty({ example: 118, description: 'Messages the mail server accepted (`sent`), each once, on the day they were sent.' })
  delivered!: number;

  @ApiProperty({ example: 40, description: 'Leads counted on the day of their first open of the campaign in the channel.' })
  opened!: number;

  @ApiProperty({ example: 12, description: 'Leads counted on the day of their first click of the campaign in the channel.' })
  clicked!: number;

  @ApiProperty({ example: 44, description: 'Leads counted on the day of their first open or click of the campaign in the channel.' })
  engaged!: number;

  @ApiProperty({ type: Number, nullable: true, example: 0.3729, description: 'engaged / delivered, to 4 decimals; null when delivered is 0.' })
  engagementRate!: number | null;

  @ApiProperty({ example: 60, description: 'Leads counted on the day of their first touchpoint of any type of the campaign in the channel.' })
  reached!: number;

  @ApiProperty({ example: 9, description: 'New leads: each lead once, on the day and under the campaign and channel of its first touchpoint of all.' })
  leads!: number;

  @ApiProperty({ type: Number, nullable: true, example: 0.025, description: 'conversions / reached, to 4 decimals; null when reached is 0.' })
  conversionRate!: number | null;

  @ApiProperty({ type: String, nullable: true, example: '8.94', description: 'cost / leads, decimal string; null when leads is 0.' })
  costPerLead!: string | null;
}

export class RoiRowDto extends RoiTotalDto {
  @ApiPropertyOptional({ example: '2026-05-04', description: "With an interval: the period's first day (a Monday for weeks), even when the range starts later." })
  period?: string;

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

  @ApiProperty({ enum: INTERVALS, nullable: true, type: String, description: 'The time series interval; null for one row per group over the range.' })
  interval!: string | null;

  @ApiProperty({ type: [String], example: ['last_touch', 'linear'] })
  models!: string[];

  @ApiProperty({ type: [RoiRowDto], description: 'One row per (period,) group and model: by period, campaign name, channel, then model as asked.' })
  rows!: RoiRowDto[];

  @ApiProperty({ type: [RoiTotalDto], description: 'One per model, in the order asked, over every group and the whole range.' })
  totals!: RoiTotalDto[];
}
