import type { Lead, LeadConsent, LeadExternalId } from '@ce/db';
import type { LeadDto } from './dto/lead.dto';

export function toLeadDto(lead: Lead, externalIds: LeadExternalId[] = [], consents: LeadConsent[] = []): LeadDto {
  return {
    id: lead.id,
    email: lead.email,
    firstName: lead.firstName,
    lastName: lead.lastName,
    company: lead.company,
    jobTitle: lead.jobTitle,
    phone: lead.phone,
    country: lead.country,
    timeZone: lead.timeZone,
    sourceChannel: lead.sourceChannel,
    lifecycleStage: lead.lifecycleStage,
    score: lead.score,
    ownerId: lead.ownerId,
    attributes: lead.attributes,
    externalIds: Object.fromEntries(externalIds.map((x) => [x.source, x.externalId])),
    consent: Object.fromEntries(consents.map((c) => [c.channel, { status: c.status, changedAt: c.changedAt, source: c.source }])),
    createdAt: lead.createdAt,
    updatedAt: lead.updatedAt,
  };
}
