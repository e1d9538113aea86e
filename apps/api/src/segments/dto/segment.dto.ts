import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { SEGMENT_KINDS, SegmentKind } from '@ce/db';

export const MAX_LEADS_PER_REQUEST = 10_000;

export const EXAMPLE_DEFINITION = {
  all: [
    { attribute: 'plan', op: 'eq', value: 'pro' },
    { field: 'score', op: 'gte', value: 50 },
    { did: { type: 'click', channel: 'email', within: '30d' } },
    { not: { consent: 'email', status: ['unsubscribed', 'bounced', 'complained'] } },
  ],
};

const DEFINITION_DESCRIPTION =
  'The segment DSL. Groups: `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}` (at most 10 deep, 200 conditions). ' +
  'Leaves: `{"field": "score", "op": "gte", "value": 50}` (fields: email, firstName, lastName, company, jobTitle, phone, ' +
  'country, timeZone, sourceChannel, lifecycleStage, score, ownerId, createdAt, updatedAt); ' +
  '`{"attribute": "plan", "op": "in", "value": ["pro", "team"]}` (a declared attribute; its type decides the operators); ' +
  'operators eq, neq, in, not_in, contains, starts_with, gt, gte, lt, lte, between, exists; dates as ISO 8601 or `{"ago": "30d"}`; ' +
  '`{"consent": "email", "status": "subscribed"}` (or a list; `none` = no record); ' +
  '`{"did": {"type": "click", "channel": "email", "campaignId": "…", "properties": {…}, "atLeast": 2, "within": "30d"}}` and `didNot`; ' +
  '`{"inSegment": "<segment id>"}`.';

export class CreateSegmentDto {
  @ApiProperty({ example: 'Engaged pro accounts', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: SEGMENT_KINDS, description: 'dynamic: evaluated from `definition` when read; static: an explicit list of leads.' })
  @IsIn(SEGMENT_KINDS, { message: `must be one of ${SEGMENT_KINDS.join(', ')}` })
  kind!: SegmentKind;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: EXAMPLE_DEFINITION, description: `Dynamic segments only, and required for them. ${DEFINITION_DESCRIPTION}` })
  @IsOptional()
  @IsObject()
  definition?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_LEADS_PER_REQUEST, description: 'Static segments only: the first members.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LEADS_PER_REQUEST)
  @IsUUID('all', { each: true, message: 'must list lead ids (UUIDs)' })
  leadIds?: string[];
}

export class UpdateSegmentDto {
  @ApiPropertyOptional({ example: 'Engaged pro accounts (EU)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: EXAMPLE_DEFINITION, description: `Dynamic segments only; validated in full again. ${DEFINITION_DESCRIPTION}` })
  @IsOptional()
  @IsObject()
  definition?: Record<string, unknown>;
}

export class SegmentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: SEGMENT_KINDS })
  kind!: SegmentKind;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: EXAMPLE_DEFINITION })
  definition!: Record<string, unknown> | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}
