import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { BASE_CURRENCY } from '../../currency-rates/rate-input';
import { FORMATS, MAX_RANGE_YEARS } from '../report-query';

/*
 * Query parameters the reports share, combined into each report's query with `IntersectionType`.
 * Only names and types are checked here (unknown parameters are refused); each report's parse
 * function checks the values with the readers of report-query.ts and names every bad one at once.
 */

/** `from` and `to`: required, but left to `readDayRange`, so that a missing one is named with the rest. */
export class ReportRangeQuery {
  @ApiProperty({ example: '2026-05-01', description: 'First day (UTC), YYYY-MM-DD, inclusive.' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiProperty({ example: '2026-05-31', description: `Last day (UTC), inclusive; on or after from, at most ${MAX_RANGE_YEARS} years after it.` })
  @IsOptional()
  @IsString()
  to?: string;
}

export class ReportCurrencyQuery {
  @ApiPropertyOptional({ example: 'EUR', default: BASE_CURRENCY, description: 'The reporting currency (ISO 4217).' })
  @IsOptional()
  @IsString()
  currency?: string;
}

export class ReportFormatQuery {
  @ApiPropertyOptional({ enum: FORMATS, default: 'json', description: '`csv` answers a text/csv attachment with the same figures.' })
  @IsOptional()
  @IsString()
  format?: string;
}
