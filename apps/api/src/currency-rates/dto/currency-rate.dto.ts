import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { BASE_CURRENCY, MAX_RATES } from '../rate-input';

/*
 * The body of `PUT /v1/currency-rates` as clients write it, for the API documentation. It is
 * checked by `parseRateBatch` (rate-input.ts), which reports every problem of every item in one
 * 400, with its path.
 */

export class CurrencyRateDto {
  @ApiProperty({ example: 'USD', description: `ISO 4217 code; not ${BASE_CURRENCY}, whose rate is always 1.` })
  currency!: string;

  @ApiProperty({ example: '2026-05-01', description: 'The day the rate holds from (YYYY-MM-DD). It holds until the next day with a rate.' })
  day!: string;

  @ApiProperty({ example: '0.9231', description: `What one unit of the currency was worth in ${BASE_CURRENCY} that day: a positive decimal string, at most 12 decimals.` })
  rate!: string;
}

export class PutCurrencyRatesDto {
  @ApiProperty({ type: [CurrencyRateDto], minItems: 1, maxItems: MAX_RATES, description: 'A rate per currency and day, each at most once.' })
  rates!: CurrencyRateDto[];
}

export class CurrencyRatesDto {
  @ApiProperty({ type: [CurrencyRateDto], description: 'Ordered by currency, then day.' })
  rates!: CurrencyRateDto[];
}

export class PutCurrencyRatesResultDto {
  @ApiProperty({ example: 3, description: 'Rates for a currency and day that had none.' })
  created!: number;

  @ApiProperty({ example: 1, description: 'Rates that replaced the one stored for that currency and day.' })
  replaced!: number;
}

/** The filters of `GET /v1/currency-rates`, all optional; checked by `parseRateQuery`. */
export class CurrencyRatesQuery {
  @ApiPropertyOptional({ example: 'USD', description: 'Only this currency.' })
  @IsOptional()
  @IsString()
  currency?: string;

  @ApiPropertyOptional({ example: '2026-05-01', description: 'Rates of this day and later (YYYY-MM-DD).' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ example: '2026-05-31', description: 'Rates of this day and earlier (YYYY-MM-DD).' })
  @IsOptional()
  @IsString()
  to?: string;
}
