import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsCurrencyCode, IsDecimalAmount } from '../../common/dto/money.dto';

export class CreateConversionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  leadId!: string;

  @ApiPropertyOptional({ example: 'purchase', default: 'purchase' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be lower-case letters, digits and _ (a word such as purchase)' })
  type?: string;

  @ApiProperty({ example: '240.00', description: 'Decimal string.' })
  @IsDecimalAmount()
  value!: string;

  @ApiProperty({ example: 'USD' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({ example: '2026-11-24T10:00:00Z', description: 'Defaults to now.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  occurredAt?: string;

  @ApiPropertyOptional({ example: 'order-10023', description: 'Your id for the conversion; sending it again records nothing new.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalId?: string;
}

export class ConversionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  leadId!: string;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'The campaign of the lead\'s last campaign touchpoint in the look-back window, when it was recorded. Credit under each attribution model is in the reports.' })
  campaignId!: string | null;

  @ApiProperty()
  type!: string;

  @ApiProperty({ example: '240.00' })
  value!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty()
  occurredAt!: Date;

  @ApiPropertyOptional({ nullable: true, type: String })
  externalId!: string | null;
}
