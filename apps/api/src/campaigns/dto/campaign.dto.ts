import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateNested,
} from 'class-validator';
import { CAMPAIGN_STATUSES, CampaignStatus, Channel, CHANNELS } from '@ce/db';
import { AmountDto, IsCurrencyCode } from '../../common/dto/money.dto';

export const MAX_EXPLICIT_AUDIENCE = 100_000;

/** Who the campaign is for: give exactly one of the two. */
export class AudienceDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: `Explicit lead ids (up to ${MAX_EXPLICIT_AUDIENCE}).` })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EXPLICIT_AUDIENCE)
  @IsUUID('all', { each: true, message: 'each lead id must be a UUID' })
  leadIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'A segment; its members are snapshotted when the campaign launches.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  segmentId?: string;
}

export class CreateCampaignDto {
  @ApiProperty({ example: 'Spring onboarding', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ format: 'uuid', description: 'The flow to run; its latest version is snapshotted at launch.' })
  @IsUUID('all', { message: 'must be a UUID' })
  flowId!: string;

  @ApiProperty({ enum: CHANNELS, example: 'email' })
  @IsIn(CHANNELS)
  channel!: Channel;

  @ApiProperty({ type: AudienceDto })
  @ValidateNested()
  @Type(() => AudienceDto)
  audience!: AudienceDto;

  @ApiPropertyOptional({ example: 'USD', default: 'USD', description: 'ISO 4217; revenue and cost are reported in it.' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ type: AmountDto, description: 'Spend to record against the campaign today.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountDto)
  cost?: AmountDto;
}

export class CampaignDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  @ApiPropertyOptional({ nullable: true, type: Number, description: 'The flow version snapshotted at launch.' })
  flowVersion!: number | null;

  @ApiProperty({ enum: CHANNELS })
  channel!: Channel;

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status!: CampaignStatus;

  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Leads in the audience: the explicit list, or the segment snapshot once launched.' })
  audienceSize!: number | null;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' })
  segmentId!: string | null;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiPropertyOptional({ nullable: true, type: Date })
  launchedAt!: Date | null;

  @ApiProperty()
  createdAt!: Date;
}
