import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_PROPERTIES_BYTES, MAX_TOUCHPOINTS } from '../touchpoint-input';

/*
 * The bodies as clients write them, for the API documentation. They are checked by
 * `parseTouchpointBatch` and `parseIdentify` (touchpoint-input.ts), which report every problem of
 * every item in one 422, with its path.
 */

export class ExternalLeadIdDto {
  @ApiProperty({ example: 'salesforce', description: 'The source system, as in the lead\'s `externalIds`.' })
  source!: string;

  @ApiProperty({ example: '00Q5e00000AbCdE' })
  id!: string;
}

export class UtmDto {
  @ApiPropertyOptional({ example: 'google', maxLength: 200 })
  source?: string;

  @ApiPropertyOptional({ example: 'cpc', maxLength: 200 })
  medium?: string;

  @ApiPropertyOptional({ example: 'Spring launch', maxLength: 200, description: 'Matched to a campaign by name, ignoring case.' })
  campaign?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Kept in properties as `utm_term`.' })
  term?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Kept in properties as `utm_content`.' })
  content?: string;
}

export class TouchpointWriteDto {
  @ApiProperty({ example: 'web-7f3a9c', maxLength: 200, description: 'Your id for the touchpoint. The same id again is not stored twice.' })
  externalId!: string;

  @ApiProperty({ example: 'visit', maxLength: 32, description: 'A lower-case word: visit, ad_click, social, event, webinar, direct_mail, referral, direct, …' })
  type!: string;

  @ApiProperty({ example: '2026-11-24T10:00:00Z', description: 'ISO 8601 with a time zone; at most 1 day in the future. Late and out-of-order touchpoints are fine.' })
  occurredAt!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The lead; give at most one of leadId, email and externalLeadId.' })
  leadId?: string;

  @ApiPropertyOptional({ example: 'ada@example.com', description: 'The lead\'s email (trimmed and lower-cased before matching).' })
  email?: string;

  @ApiPropertyOptional({ type: ExternalLeadIdDto, description: 'The lead\'s id in another system.' })
  externalLeadId?: ExternalLeadIdDto;

  @ApiPropertyOptional({ example: 'v-91c2', maxLength: 200, description: 'The anonymous visitor. Needed when no lead is named.' })
  visitorId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An existing campaign. Wins over utm.campaign.' })
  campaignId?: string;

  @ApiPropertyOptional({ type: UtmDto })
  utm?: UtmDto;

  @ApiPropertyOptional({ example: 'paid_social', maxLength: 32, description: 'Wins over the channel grouping of utm.source and utm.medium.' })
  channel?: string;

  @ApiPropertyOptional({ example: 'https://example.com/pricing', description: 'An absolute http or https URL.' })
  url?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: `Anything else; at most ${MAX_PROPERTIES_BYTES / 1024} KB as JSON.` })
  properties?: Record<string, unknown>;
}

export class IngestTouchpointsDto {
  @ApiProperty({ type: [TouchpointWriteDto], description: `1 to ${MAX_TOUCHPOINTS} touchpoints.` })
  touchpoints!: TouchpointWriteDto[];
}

export class IngestCountsDto {
  @ApiProperty({ description: 'Touchpoints in the request.' })
  received!: number;

  @ApiProperty({ description: 'Touchpoints stored by this request.' })
  accepted!: number;

  @ApiProperty({ description: 'Touchpoints whose externalId was stored already (or came earlier in this request); not stored again.' })
  duplicates!: number;

  @ApiProperty({ description: 'Of the accepted, those stored without a lead (visitor only).' })
  anonymous!: number;

  @ApiProperty({ description: 'Anonymous touchpoints given to a lead because their visitor identified.' })
  joined!: number;

  @ApiProperty({ description: 'Conversions sent to be attributed again.' })
  reattributed!: number;
}

export class IngestItemResultDto {
  @ApiProperty({ description: 'Position in the request.' })
  index!: number;

  @ApiProperty({ enum: ['duplicate', 'anonymous'] })
  outcome!: 'duplicate' | 'anonymous';

  @ApiPropertyOptional({ description: 'Why an item that named a lead was stored anonymous.' })
  detail?: string;
}

export class IngestResultDto {
  @ApiProperty({ type: IngestCountsDto })
  counts!: IngestCountsDto;

  @ApiProperty({
    type: [IngestItemResultDto],
    description: 'Only the items that were not stored (`duplicate`) and those whose lead was not found and were stored under their visitorId (`anonymous`).',
  })
  results!: IngestItemResultDto[];
}

export class IdentifyVisitorDto {
  @ApiProperty({ example: 'v-91c2', maxLength: 200 })
  visitorId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Give one of leadId, email and externalLeadId.' })
  leadId?: string;

  @ApiPropertyOptional({ example: 'ada@example.com' })
  email?: string;

  @ApiPropertyOptional({ type: ExternalLeadIdDto })
  externalLeadId?: ExternalLeadIdDto;
}

export class IdentifyResultDto {
  @ApiProperty({ format: 'uuid' })
  leadId!: string;

  @ApiProperty({ description: 'Anonymous touchpoints of the visitor now given to the lead.' })
  joined!: number;

  @ApiProperty({ description: 'Conversions sent to be attributed again.' })
  reattributed!: number;
}
