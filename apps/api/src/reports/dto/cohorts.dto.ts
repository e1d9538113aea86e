import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { BASE_CURRENCY } from '../../currency-rates/rate-input';
import { COHORT_INTERVALS, DEFAULT_PERIODS, MAX_PERIODS } from '../cohort-query';
import { FORMATS, MAX_RANGE_YEARS } from '../report-query';

/**
 * The query of `GET /v1/reports/cohorts`. Only names and types are checked here (unknown
 * parameters are refused); `parseCohortQuery` checks the values and reports every problem at once.
 */
export class CohortReportQuery {
  @ApiProperty({ example: '2026-01-01', description: 'First day (UTC), YYYY-MM-DD, inclusive: customers whose first conversion is on or after it.' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiProperty({ example: '2026-06-30', description: `Last day (UTC), inclusive; on or after from, at most ${MAX_RANGE_YEARS} years after it.` })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({ enum: COHORT_INTERVALS, default: 'month', description: 'Cohorts and periods by calendar month, or by week starting on Monday (UTC).' })
  @IsOptional()
  @IsString()
  interval?: string;

  @ApiPropertyOptional({ example: 'EUR', default: BASE_CURRENCY, description: 'The reporting currency (ISO 4217).' })
  @IsOptional()
  @IsString()
  currency?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only customers enrolled in this campaign (at any time). An unknown campaign is a 404.' })
  @IsOptional()
  @IsString()
  campaignId?: string;

  @ApiPropertyOptional({ example: 12, default: DEFAULT_PERIODS, description: `Periods followed per cohort, 1 to ${MAX_PERIODS}; never past today's period.` })
  @IsOptional()
  @IsString()
  periods?: string;

  @ApiPropertyOptional({ enum: FORMATS, default: 'json', description: '`csv` answers text/csv, one line per cohort and period.' })
  @IsOptional()
  @IsString()
  format?: string;
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
