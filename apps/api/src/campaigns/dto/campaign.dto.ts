import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsTimeZone } from '../../common/dto/time-zone.validator';
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

  @ApiPropertyOptional({ format: 'date-time', description: 'Every running journey ends at this time (reason `campaign_ended`).' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  endsAt?: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin', default: 'UTC', description: "The campaign's clock for `wait_until` steps (IANA)." })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, description: 'At most this many emails a minute for this campaign.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  sendRatePerMinute?: number;
}

/** Settings that may change after creation; null clears an optional one. */
export class UpdateCampaignDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  endsAt?: string | null;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 1, maximum: 1_000_000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  sendRatePerMinute?: number | null;

  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'Only before launch: running journeys keep the zone they started with.' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;
}

export class LaunchCampaignDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Launch at this time instead of now.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  at?: string;
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

  @ApiPropertyOptional({ nullable: true, type: Date, description: 'A scheduled launch time.' })
  scheduledAt!: Date | null;

  @ApiPropertyOptional({ nullable: true, type: Date })
  endsAt!: Date | null;

  @ApiPropertyOptional({ nullable: true, type: Date, description: 'When the campaign completed or was cancelled.' })
  endedAt!: Date | null;

  @ApiPropertyOptional({ nullable: true, type: Date })
  pausedAt!: Date | null;

  @ApiProperty({ example: 'UTC' })
  timeZone!: string;

  @ApiPropertyOptional({ nullable: true, type: Number })
  sendRatePerMinute!: number | null;

  @ApiProperty()
  createdAt!: Date;
}
