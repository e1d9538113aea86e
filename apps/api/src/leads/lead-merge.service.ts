import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Client } from '@temporalio/client';
import { exitSignal } from '@ce/contracts';
import { AuditEntry, CONSENT_STATUSES, Lead, LeadEvent } from '@ce/db';
import { InputInvalidError, NotFoundError } from '@ce/errors';
import type { Caller } from '../common/auth/api-key.guard';
import { DuplicateGroupDto, DuplicateLeadDto, MergeResultDto } from './dto/merge.dto';
import { LeadsService } from './leads.service';

const GROUPS_PER_RULE = 100;

/**
 * The address a mailbox really receives at: `+tags` dropped, and for Gmail the dots too, so
 * ada.l+news@gmail.com and adal@googlemail.com are the same person.
 */
const CANONICAL_EMAIL_SQL = `
  case when split_part(email, '@', 2) in ('gmail.com', 'googlemail.com')
       then replace(split_part(split_part(email, '@', 1), '+', 1), '.', '') || '@gmail.com'
       else split_part(split_part(email, '@', 1), '+', 1) || '@' || split_part(email, '@', 2) end`;

/** Consent after a merge: the most restrictive status of any merged lead wins. */
const CONSENT_RANK = `array_position(array['${[...CONSENT_STATUSES].reverse().join("','")}']::text[], status)`;

@Injectable()
export class LeadMergeService {
  private readonly logger = new Logger(LeadMergeService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly leads: LeadsService,
    private readonly temporal: Client,
  ) {}

  async duplicates(): Promise<DuplicateGroupDto[]> {
    const conn = this.em.getConnection();
    const groups = [
      ...(await conn.execute<{ key: string; ids: string[] }[]>(
        `select key, array_agg(id order by created_at) as ids from (select id, created_at, ${CANONICAL_EMAIL_SQL} as key from leads) c
         group by key having count(*) > 1 order by key limit ?`,
        [GROUPS_PER_RULE],
      )).map((g) => ({ reason: 'same_email', ...g })),
      // An id is unique per source system, so a second lead naming a held id keeps none and the
      // clash is recorded on it: those pairs are the leads sharing an external id.
      ...(await conn.execute<{ key: string; ids: string[] }[]>(
        `select e.data->>'source' || ':' || (e.data->>'externalId') as key,
                array[h.lead_id] || array_agg(distinct e.lead_id) as ids
         from lead_events e
         join lead_external_ids h on h.source = e.data->>'source' and h.external_id = e.data->>'externalId'
         where e.type = 'external_id_conflict' and e.lead_id <> h.lead_id
         group by 1, h.lead_id order by 1 limit ?`,
        [GROUPS_PER_RULE],
      )).map((g) => ({ reason: 'same_external_id', ...g })),
      ...(await conn.execute<{ key: string; ids: string[] }[]>(
        `select lower(first_name) || ' ' || lower(last_name) || ' @ ' || lower(company) as key, array_agg(id order by created_at) as ids
         from leads where first_name is not null and last_name is not null and company is not null
         group by lower(first_name), lower(last_name), lower(company) having count(*) > 1 order by 1 limit ?`,
        [GROUPS_PER_RULE],
      )).map((g) => ({ reason: 'same_name_and_company', ...g })),
    ];
    const leads = new Map(
      (await this.em.find(Lead, { id: { $in: [...new Set(groups.flatMap((g) => g.ids))] } })).map((l) => [l.id, l]),
    );
    return groups.map((g) => ({
      reason: g.reason,
      key: g.key,
      leads: g.ids.filter((id) => leads.has(id)).map((id) => summary(leads.get(id)!)),
    }));
  }

  /**
   * Folds the duplicates into the kept lead: touchpoints, messages, conversions, enrollments,
   * consent, external ids, segment memberships and record history move to it; its empty fields
   * are filled from them; then the duplicates are removed. One transaction, audited.
   */
  async merge(keepIdGiven: string, duplicateIds: string[], caller: Caller | null): Promise<MergeResultDto> {
    const keepId = keepIdGiven.toLowerCase();
    const requested = duplicateIds.map((id) => id.toLowerCase());
    const others = [...new Set(requested)];
    if (others.includes(keepId))
      throw new InputInvalidError([{ path: 'duplicateIds', message: 'must not include the lead being kept' }]);

    const endedJourneys: { workflowId: string; enrollmentId: string }[] = [];
    const moved = await this.em.transactional(async (em) => {
      const conn = em;
      const found = await conn.execute<{ id: string; email: string }[]>(
        'select id, email from leads where id = any(?::uuid[]) order by id for update',
        [`{${[keepId, ...others].join(',')}}`],
      );
      if (!found.some((l) => l.id === keepId)) throw new NotFoundError('Lead', keepId);
      const missing = others.filter((id) => !found.some((l) => l.id === id));
      if (missing.length > 0)
        throw new InputInvalidError(missing.map((id) => ({ path: `duplicateIds[${requested.indexOf(id)}]`, message: `lead ${id} does not exist` })));
      const dupes = `{${others.join(',')}}`;
      const count = async (sql: string, params: unknown[]) => (await conn.execute<{ n: number }[]>(`with m as (${sql} returning 1) select count(*)::int as n from m`, params))[0].n;

      // An enrollment in a campaign the kept lead is also in cannot move: its messages join the
      // kept lead's enrollment and its workflow is told to exit.
      const clashing = await conn.execute<{ id: string; workflow_id: string; keep_id: string }[]>(
        `select d.id, d.workflow_id, k.id as keep_id from enrollments d join enrollments k on k.campaign_id = d.campaign_id and k.lead_id = ?
         where d.lead_id = any(?::uuid[])`,
        [keepId, dupes],
      );
      for (const row of clashing) {
        await conn.execute('update messages set enrollment_id = ? where enrollment_id = ?', [row.keep_id, row.id]);
        await conn.execute('delete from enrollments where id = ?', [row.id]);
        endedJourneys.push({ workflowId: row.workflow_id, enrollmentId: row.id });
      }
      const result = {
        touchpoints: await count('update touchpoints set lead_id = ? where lead_id = any(?::uuid[])', [keepId, dupes]),
        messages: await count('update messages set lead_id = ? where lead_id = any(?::uuid[])', [keepId, dupes]),
        conversions: await count('update conversions set lead_id = ? where lead_id = any(?::uuid[])', [keepId, dupes]),
        enrollments: await count('update enrollments set lead_id = ? where lead_id = any(?::uuid[])', [keepId, dupes]),
      };
      await conn.execute('update lead_events set lead_id = ? where lead_id = any(?::uuid[])', [keepId, dupes]);
      await conn.execute('update lead_external_ids set lead_id = ? where lead_id = any(?::uuid[])', [keepId, dupes]);
      // The points flows gave the duplicates count for the lead kept, under any scoring model.
      await conn.execute('update lead_score_adjustments set lead_id = ? where lead_id = any(?::uuid[])', [keepId, dupes]);
      // So are their hand-offs to sales, with what was answered.
      await conn.execute('update handoffs set lead_id = ? where lead_id = any(?::uuid[])', [keepId, dupes]);
      await conn.execute(
        `insert into segment_members (segment_id, lead_id, added_at)
         select segment_id, ?, min(added_at) from segment_members where lead_id = any(?::uuid[]) group by segment_id
         on conflict do nothing`,
        [keepId, dupes],
      );
      await conn.execute(
        `insert into campaign_audience (campaign_id, lead_id)
         select distinct campaign_id, ?::uuid from campaign_audience where lead_id = any(?::uuid[]) on conflict do nothing`,
        [keepId, dupes],
      );
      await conn.execute(
        `insert into lead_consents as c (id, lead_id, channel, status, changed_at, source)
         select distinct on (channel) gen_random_uuid(), ?::uuid, channel, status, changed_at, 'merge'
         from lead_consents where lead_id = any(?::uuid[]) or lead_id = ?
         order by channel, ${CONSENT_RANK}, changed_at desc
         on conflict (lead_id, channel) do update set status = excluded.status, changed_at = excluded.changed_at, source = 'merge'
         where c.status is distinct from excluded.status`,
        [keepId, dupes, keepId],
      );
      await conn.execute(
        `update leads k set
           first_name = coalesce(k.first_name, d.first_name), last_name = coalesce(k.last_name, d.last_name),
           company = coalesce(k.company, d.company), job_title = coalesce(k.job_title, d.job_title),
           phone = coalesce(k.phone, d.phone), country = coalesce(k.country, d.country),
           time_zone = coalesce(k.time_zone, d.time_zone), source_channel = coalesce(k.source_channel, d.source_channel),
           owner_id = coalesce(k.owner_id, d.owner_id), attributes = d.attributes || k.attributes, updated_at = now()
         from (
           select (array_agg(first_name) filter (where first_name is not null))[1] as first_name,
                  (array_agg(last_name) filter (where last_name is not null))[1] as last_name,
                  (array_agg(company) filter (where company is not null))[1] as company,
                  (array_agg(job_title) filter (where job_title is not null))[1] as job_title,
                  (array_agg(phone) filter (where phone is not null))[1] as phone,
                  (array_agg(country) filter (where country is not null))[1] as country,
                  (array_agg(time_zone) filter (where time_zone is not null))[1] as time_zone,
                  (array_agg(source_channel) filter (where source_channel is not null))[1] as source_channel,
                  (array_agg(owner_id) filter (where owner_id is not null))[1] as owner_id,
                  coalesce(jsonb_object_agg(a.key, a.value) filter (where a.key is not null), '{}'::jsonb) as attributes
           from leads left join lateral jsonb_each(leads.attributes) a on true
           where leads.id = any(?::uuid[])
         ) d
         where k.id = ?`,
        [dupes, keepId],
      );
      await conn.execute('delete from leads where id = any(?::uuid[])', [dupes]);

      const emails = found.filter((l) => l.id !== keepId).map((l) => ({ id: l.id, email: l.email }));
      em.create(LeadEvent, { lead: keepId, type: 'merged', occurredAt: new Date(), data: { merged: emails, moved: result } });
      em.create(AuditEntry, {
        actorKeyId: caller?.keyId ?? null,
        action: 'lead.merged',
        entityType: 'lead',
        entityId: keepId,
        data: { merged: others, moved: result },
      });
      await em.flush();
      return result;
    });

    // The duplicate's journeys in shared campaigns end; the kept lead's carry on.
    for (const { workflowId, enrollmentId } of endedJourneys) {
      await this.temporal.workflow
        .getHandle(workflowId)
        .signal(exitSignal, { enrollmentId, reason: 'merged' })
        .catch((error: Error) => this.logger.warn({ msg: 'merged enrollment not signalled', workflowId, reason: error.name }));
    }
    return { lead: await this.leads.get(keepId), merged: others, moved };
  }
}

function summary(lead: Lead): DuplicateLeadDto {
  return { id: lead.id, email: lead.email, firstName: lead.firstName, lastName: lead.lastName, company: lead.company, createdAt: lead.createdAt };
}
