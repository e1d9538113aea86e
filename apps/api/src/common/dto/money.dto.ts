import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** Money crosses the API as a decimal string, never a float. */
export const DECIMAL_PATTERN = /^\d{1,15}(\.\d{1,4})?$/;

export const IsDecimalAmount = () =>
  Matches(DECIMAL_PATTERN, { message: 'must be a non-negative decimal string such as "1250.00"' });

export class AmountDto {
  @ApiProperty({ example: '500.00', description: 'Decimal string in the campaign currency.' })
  @IsDecimalAmount()
  amount!: string;
}
