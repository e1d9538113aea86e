import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export class TimelineQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextBefore` of the previous page: the entries after it.' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{40,200}$/, { message: 'must be the nextBefore of a previous page' })
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

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as `before` for older entries; null when there are none. Opaque.' })
  nextBefore!: string | null;
}
