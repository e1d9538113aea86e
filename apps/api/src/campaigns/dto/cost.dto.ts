import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { Channel, CHANNELS } from '@ce/db';
import { IsDecimalAmount } from '../../common/dto/money.dto';

export class RecordCostDto {
  @ApiProperty({ example: '2026-11-24', description: 'The day the money was spent (YYYY-MM-DD).' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'must be a real calendar date' })
  day!: string;

  @ApiProperty({ example: '125.50', description: 'Decimal string in the campaign currency; replaces that day\'s figure.' })
  @IsDecimalAmount()
  amount!: string;

  @ApiPropertyOptional({ enum: CHANNELS, description: 'Defaults to the campaign\'s channel.' })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;
}

export class CostDto {
  @ApiProperty({ format: 'uuid' })
  campaignId!: string;

  @ApiProperty()
  channel!: string;

  @ApiProperty({ example: '2026-11-24' })
  day!: string;

  @ApiProperty({ example: '125.50' })
  amount!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;
}
