import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral, Lead } from '@ce/db';
import { LEAD_TEMPLATE_FIELDS } from './render-lead-email';

/** The lead fields a template can use, as `leadTemplateVariables` takes them. */
export type TemplateLead = Pick<Lead, (typeof LEAD_TEMPLATE_FIELDS)[number] | 'attributes'>;

/** The campaign a batch of sends belongs to. */
export interface SendCampaign {
  id: string;
  name: string;
  sendRatePerMinute: number | null;
}

/** What a batch of sends needs to know, read in two queries. */
export interface SendContexts {
  campaign: SendCampaign | null;
  /** Each enrollment's lead, by enrollment id; an erased lead's enrollment is missing. */
  leads: Map<string, TemplateLead>;
}

interface LeadRow {
  enrollment_id: string;
  lead: Record<string, unknown>;
}

/**
 * The campaign and the lead of every enrollment. Plain queries instead of loading entities: a
 * send is the hottest path in the engine. The lead's columns are found through the ORM's
 * metadata, so a field added to the templates' list needs nothing here.
 */
export async function loadSendContexts(em: EntityManager, campaignId: string, enrollmentIds: string[]): Promise<SendContexts> {
  const conn = em.getConnection();
  const [campaign] = await conn.execute<{ id: string; name: string; send_rate_per_minute: number | null }[]>(
    'select id, name, send_rate_per_minute from campaigns where id = ?',
    [campaignId],
  );
  const rows = await conn.execute<LeadRow[]>(
    `select e.id as enrollment_id, to_jsonb(l) as lead
     from enrollments e join leads l on l.id = e.lead_id
     where e.id = any(?::uuid[]) and e.campaign_id = ?`,
    [arrayLiteral(enrollmentIds), campaignId],
  );
  const properties = em.getMetadata().get<Lead>(Lead.name).properties;
  const fields = [...LEAD_TEMPLATE_FIELDS, 'attributes' as const];
  const leads = new Map<string, TemplateLead>();
  for (const row of rows) {
    const lead = Object.fromEntries(fields.map((field) => [field, row.lead[properties[field].fieldNames[0]] ?? null])) as unknown as TemplateLead;
    leads.set(row.enrollment_id, { ...lead, attributes: (lead.attributes as Record<string, unknown> | null) ?? {} });
  }
  return {
    campaign: campaign ? { id: campaign.id, name: campaign.name, sendRatePerMinute: campaign.send_rate_per_minute } : null,
    leads,
  };
}
