import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { COHORT_INTERVALS, DEFAULT_PERIODS, MAX_PERIODS } from '../cohort-query';
import { ReportCurrencyQuery, ReportFormatQuery, ReportRangeQuery } from './report-query.dto';

/**
 * The query of `GET /v1/reports/cohorts`: `from` and `to` bound the days of the customers' first
 * conversions. Only names and types are checked here (unknown parameters are refused);
 * `parseCohortQuery` checks the values and reports every problem at once.
 */
export class CohortReportQuery extends IntersectionType(ReportRangeQuery, ReportCurrencyQuery, ReportFormatQuery) {
  @ApiPropertyOptional({ enum: COHORT_INTERVALS, default: 'month', description: 'Cohorts and periods by calendar month, or by week starting on Monday (UTC).' })
  @IsOptional()
  @IsString()
  interval?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only customers enrolled in this campaign (at any time). An unknown campaign is a 404.' })
  @IsOptional()
  @IsString()
  campaignId?: string;

  @ApiPropertyOptional({ example: 12, default: DEFAULT_PERIODS, description: `Periods followed per cohort, 1 to ${MAX_PERIODS}; never past today's period.` })
  @IsOptional()
  @IsString()
  periods?: string;
}

export class CohortPeriodDto {
  @ApiProperty({ example: 0, description: 'Periods since the cohort\'s own (0).' })
  offset!: number;

  @ApiProperty({ example: 31, description: 'Customers of the cohort with a conversion in this period.' })
  activeCustomers!: number;

  @ApiProperty({ example: 0.4133, description: 'activeCustomers / customers, to 4 decimals.' })
  retention!: number;

  @ApiProperty({ example: '1520.40', description: 'Revenue of the cohort in this period, decimal string in the reporting currency.' })
  revenue!: string;

  @ApiProperty({ example: '8120.75', description: 'Revenue of the cohort from offset 0 to this one.' })
  cumulativeRevenue!: string;

  @ApiProperty({ example: '108.28', description: 'Lifetime value so far: cumulativeRevenue per customer.' })
  ltv!: string;
}

export class CohortDto {
  @ApiProperty({ example: '2026-01-01', description: 'The first day of the period of its customers\' first conversion.' })
  cohort!: string;

  @ApiProperty({ example: 75, description: 'Customers in the cohort.' })
  customers!: number;

  @ApiProperty({ type: [CohortPeriodDto], description: 'Offsets 0 … periods − 1, up to today\'s period.' })
  periods!: CohortPeriodDto[];
}

export class CohortReportDto {
  @ApiProperty({ example: '2026-01-01' })
  from!: string;

  @ApiProperty({ example: '2026-06-30' })
  to!: string;

  @ApiProperty({ enum: COHORT_INTERVALS })
  interval!: string;

  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @ApiProperty({ example: 12, description: 'Periods asked for per cohort.' })
  periods!: number;

  @ApiProperty({ type: [CohortDto], description: 'One per cohort with customers, oldest first.' })
  cohorts!: CohortDto[];
}
