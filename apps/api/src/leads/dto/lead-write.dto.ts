import { ApiPropertyOptional } from '@nestjs/swagger';
import { CONSENT_CHANNELS, CONSENT_STATUSES, LIFECYCLE_STAGES } from '@ce/db';

/**
 * A lead as clients write it, for the API documentation. The body is checked by
 * `parseLeadRecord` (libs/leads), the one validator shared by single writes, batches and
 * imports, which reports every problem (unknown fields included) at once.
 */
export class LeadWriteDto {
  @ApiPropertyOptional({ example: 'ada@example.com', description: 'Required on create. Trimmed and lower-cased; unique.' })
  email?: string;

  @ApiPropertyOptional({ example: 'Ada', nullable: true })
  firstName?: string | null;

  @ApiPropertyOptional({ example: 'Lovelace', nullable: true })
  lastName?: string | null;

  @ApiPropertyOptional({ example: 'Analytical Engines Ltd', nullable: true })
  company?: string | null;

  @ApiPropertyOptional({ example: 'CTO', nullable: true })
  jobTitle?: string | null;

  @ApiPropertyOptional({ example: '+44 20 7946 0000', nullable: true })
  phone?: string | null;

  @ApiPropertyOptional({ example: 'GB', description: 'ISO 3166-1 alpha-2.', nullable: true })
  country?: string | null;

  @ApiPropertyOptional({ example: 'Europe/London', description: 'IANA time zone.', nullable: true })
  timeZone?: string | null;

  @ApiPropertyOptional({ example: 'web', nullable: true })
  sourceChannel?: string | null;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES })
  lifecycleStage?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'The owning sales rep.' })
  ownerId?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { plan: 'pro', seats: 12 },
    description: 'Declared custom attributes only (see /v1/attribute-definitions); null removes one.',
  })
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { salesforce: '00Q5e00000AbCdE' } })
  externalIds?: Record<string, string>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', enum: [...CONSENT_STATUSES] },
    example: { email: 'subscribed' },
    description: `Consent per channel (${CONSENT_CHANNELS.join(', ')}). Without \`subscribed\` a lead is never enrolled or sent to on that channel.`,
  })
  consent?: Record<string, string>;
}
