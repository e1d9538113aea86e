import { ApiProperty } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { IsISO4217CurrencyCode, Matches } from 'class-validator';

/** Money crosses the API as a decimal string, never a float. */
export const DECIMAL_PATTERN = /^\d{1,15}(\.\d{1,4})?$/;

export const IsDecimalAmount = () =>
  Matches(DECIMAL_PATTERN, { message: 'must be a non-negative decimal string such as "1250.00"' });

export class AmountDto {
  @ApiProperty({ example: '500.00', description: 'Decimal string in the campaign currency.' })
  @IsDecimalAmount()
  amount!: string;
}

/** An ISO 4217 code, upper case, such as USD. */
export const IsCurrencyCode = () =>
  applyDecorators(
    Matches(/^[A-Z]{3}$/, { message: 'must be an upper-case ISO 4217 currency code such as USD' }),
    IsISO4217CurrencyCode({ message: 'must be an ISO 4217 currency code such as USD' }),
  );
