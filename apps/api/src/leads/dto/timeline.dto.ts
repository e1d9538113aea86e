import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';

export class TimelineQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'Entries before this time (the `nextBefore` of the previous page).' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  before?: string;
}

export class TimelineEntryDto {
  @ApiProperty()
  at!: Date;

  @ApiProperty({ enum: ['touchpoint', 'message', 'conversion', 'event'] })
  kind!: string;

  @ApiProperty({ example: 'click', description: 'touchpoint type, message status, conversion type, or event type (stage_changed, score_changed, consent_changed, …).' })
  type!: string;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' })
  campaignId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  data!: Record<string, unknown>;
}

export class TimelineDto {
  @ApiProperty({ type: [TimelineEntryDto] })
  items!: TimelineEntryDto[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as `before` for older entries; null when there are none.' })
  nextBefore!: string | null;
}
