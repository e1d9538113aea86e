import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Lead } from '@ce/db';
import { InputInvalidError, NotFoundError } from '@ce/errors';
import { TimelineDto, TimelineQuery } from './dto/timeline.dto';

interface TimelineRow {
  /** Full precision (microseconds), UTC, for the page cursor. */
  at: string;
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
const encodeCursor = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url');

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const valid =
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(at ?? '') && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id ?? '');
  if (!valid) throw new InputInvalidError([{ path: 'before', message: 'must be the nextBefore of a previous page' }]);
  return { at, id };
}

@Injectable()
export class LeadTimelineService {
  constructor(private readonly em: EntityManager) {}

  async timeline(leadId: string, query: TimelineQuery): Promise<TimelineDto> {
    if ((await this.em.count(Lead, { id: leadId })) === 0) throw new NotFoundError('Lead', leadId);
    const limit = query.limit ?? 100;
    const cursor = query.before ? decodeCursor(query.before) : { at: '9999-12-31T00:00:00Z', id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };
    const before = cursor.at;
    // Entries sharing a time are ordered by id, so a page boundary between them loses none.
    const rows = await this.em.getConnection().execute<TimelineRow[]>(
      `select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, kind, type, id, campaign_id, data from (
         select occurred_at as at, 'touchpoint' as kind, type, id, campaign_id,
                jsonb_build_object('channel', channel, 'url', url) || properties as data
         from touchpoints where lead_id = ? and occurred_at <= ?
         union all
         select coalesce(sent_at, created_at), 'message', status, id, campaign_id,
                jsonb_build_object('channel', channel, 'subject', subject, 'stepId', step_id)
         from messages where lead_id = ? and coalesce(sent_at, created_at) <= ?
         union all
         select occurred_at, 'conversion', type, id, campaign_id,
                jsonb_build_object('valueMinor', value_minor::text, 'currency', currency, 'externalId', external_id)
         from conversions where lead_id = ? and occurred_at <= ?
         union all
         select occurred_at, 'event', type, id, null, data
         from lead_events where lead_id = ? and occurred_at <= ?
         union all
         select created_at, 'event', 'created', id, null, jsonb_build_object('sourceChannel', source_channel)
         from leads where id = ? and created_at <= ?
       ) entries
       where (at, id) < (?::timestamptz, ?::uuid)
       order by at desc, id desc
       limit ?`,
      [leadId, before, leadId, before, leadId, before, leadId, before, leadId, before, cursor.at, cursor.id, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ at: new Date(r.at), kind: r.kind, type: r.type, id: r.id, campaignId: r.campaign_id, data: r.data })),
      nextBefore: rows.length > limit ? encodeCursor(last.at, last.id) : null,
    };
  }
}
