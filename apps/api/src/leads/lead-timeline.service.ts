import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Lead } from '@ce/db';
import { NotFoundError } from '@ce/errors';
import { TimelineDto, TimelineQuery } from './dto/timeline.dto';

interface TimelineRow {
  at: Date;
  kind: string;
  type: string;
  id: string;
  campaign_id: string | null;
  data: Record<string, unknown>;
}

/**
 * Everything that happened with a lead, newest first: touchpoints, messages, conversions, and
 * changes to its record (stage, score, consent, owner, merges).
 */
@Injectable()
export class LeadTimelineService {
  constructor(private readonly em: EntityManager) {}

  async timeline(leadId: string, query: TimelineQuery): Promise<TimelineDto> {
    if ((await this.em.count(Lead, { id: leadId })) === 0) throw new NotFoundError('Lead', leadId);
    const limit = query.limit ?? 100;
    const before = query.before ? new Date(query.before) : new Date('9999-12-31T00:00:00Z');
    const rows = await this.em.getConnection().execute<TimelineRow[]>(
      `select * from (
         select occurred_at as at, 'touchpoint' as kind, type, id, campaign_id,
                jsonb_build_object('channel', channel, 'url', url) || properties as data
         from touchpoints where lead_id = ? and occurred_at < ?
         union all
         select coalesce(sent_at, created_at), 'message', status, id, campaign_id,
                jsonb_build_object('channel', channel, 'subject', subject, 'stepId', step_id)
         from messages where lead_id = ? and coalesce(sent_at, created_at) < ?
         union all
         select occurred_at, 'conversion', type, id, campaign_id,
                jsonb_build_object('valueMinor', value_minor::text, 'currency', currency, 'externalId', external_id)
         from conversions where lead_id = ? and occurred_at < ?
         union all
         select occurred_at, 'event', type, id, null, data
         from lead_events where lead_id = ? and occurred_at < ?
       ) entries
       order by at desc, id desc
       limit ?`,
      [leadId, before, leadId, before, leadId, before, leadId, before, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({ at: r.at, kind: r.kind, type: r.type, id: r.id, campaignId: r.campaign_id, data: r.data })),
      nextBefore: rows.length > limit ? new Date(page[page.length - 1].at).toISOString() : null,
    };
  }
}
