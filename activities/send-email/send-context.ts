import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Lead } from '@ce/db';
import { LEAD_TEMPLATE_FIELDS } from './render-lead-email';

/** The lead fields a template can use, as `leadTemplateVariables` takes them. */
export type TemplateLead = Pick<Lead, (typeof LEAD_TEMPLATE_FIELDS)[number] | 'attributes'>;

/** What a send needs to know about its enrollment, read in one query. */
export interface SendContext {
  campaign: { id: string; name: string; sendRatePerMinute: number | null };
  lead: TemplateLead;
}

interface ContextRow {
  campaign_id: string;
  campaign_name: string;
  send_rate_per_minute: number | null;
  lead: Record<string, unknown>;
}

/**
 * The enrollment's campaign and lead. One plain query instead of loading three entities: a
 * send is the hottest path in the engine. The lead's columns are found through the ORM's
 * metadata, so a field added to the templates' list needs nothing here.
 */
export async function loadSendContext(em: EntityManager, enrollmentId: string): Promise<SendContext> {
  const [row] = await em.getConnection().execute<ContextRow[]>(
    `select c.id as campaign_id, c.name as campaign_name, c.send_rate_per_minute, to_jsonb(l) as lead
     from enrollments e join campaigns c on c.id = e.campaign_id join leads l on l.id = e.lead_id
     where e.id = ?`,
    [enrollmentId],
  );
  // The lead (and with it the enrollment) was erased: there is no one to send to, ever.
  if (!row) throw ApplicationFailure.nonRetryable(`Enrollment ${enrollmentId} no longer exists`, 'EnrollmentGone');
  const properties = em.getMetadata().get<Lead>(Lead.name).properties;
  const lead = Object.fromEntries(
    [...LEAD_TEMPLATE_FIELDS, 'attributes' as const].map((field) => [field, row.lead[properties[field].fieldNames[0]] ?? null]),
  ) as unknown as TemplateLead;
  return {
    campaign: { id: row.campaign_id, name: row.campaign_name, sendRatePerMinute: row.send_rate_per_minute },
    lead: { ...lead, attributes: (lead.attributes as Record<string, unknown> | null) ?? {} },
  };
}
