import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { DEFAULT_CHANNELS } from '@ce/attribution';
import { IsDecimalAmount } from '../../common/dto/money.dto';

export class RecordCostDto {
  @ApiProperty({ example: '2026-11-24', description: 'The day the money was spent (YYYY-MM-DD).' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'must be a real calendar date' })
  day!: string;

  @ApiProperty({ example: '125.50', description: 'Decimal string in the campaign currency; replaces that day\'s figure.' })
  @IsDecimalAmount()
  amount!: string;

  @ApiPropertyOptional({
    example: 'paid_search',
    description: `The channel the money went to, as touchpoints name it (${DEFAULT_CHANNELS.join(', ')}, or one of your own). Defaults to the campaign's channel.`,
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'must be a channel name: lower-case letters, digits and _, at most 32' })
  channel?: string;
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
