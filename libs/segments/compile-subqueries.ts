import { NEVER, Predicate } from './compile-comparison';
import { Behaviour, ConsentCondition } from './segment.types';
import { joinSql, sql, SqlFragment } from './sql-fragment';
import { resolveDate } from './values';

/**
 * Consent on a channel: an EXISTS on lead_consents' unique (lead_id, channel); `none` is the
 * absence of a row.
 */
export function compileConsent(node: ConsentCondition): Predicate {
  const statuses = [...new Set(Array.isArray(node.status) ? node.status : [node.status])];
  const recorded = statuses.filter((s) => s !== 'none');
  const parts: SqlFragment[] = [];
  if (recorded.length > 0) {
    const list = joinSql(
      recorded.map((s) => sql`${s}`),
      ', ',
    );
    parts.push(sql`exists (select 1 from lead_consents c where c.lead_id = l.id and c.channel = ${node.consent} and c.status in (${list}))`);
  }
  if (statuses.includes('none'))
    parts.push(sql`not exists (select 1 from lead_consents c where c.lead_id = l.id and c.channel = ${node.consent})`);
  if (parts.length === 0) return NEVER;
  return { fragment: parts.length === 1 ? parts[0] : sql`(${joinSql(parts, ' or ')})`, nullable: false };
}

/**
 * Behaviour: matching touchpoints of the lead. For "at least once" a correlated EXISTS, which
 * PostgreSQL turns into a semi-join (anti-join under `didNot`): a hash join over the
 * (type, occurred_at) index, whose INCLUDE columns answer lead, channel and campaign without
 * the heap, when many leads are tested; index probes on (lead_id, occurred_at) when other
 * conditions leave few. For "at least N" a per-lead count of at most N rows, so a lead with a
 * long history costs no more than N index entries.
 */
export function compileBehaviour(behaviour: Behaviour, negated: boolean, now: Date): Predicate {
  const filters = [sql`t.lead_id = l.id`, sql`t.type = ${behaviour.type}`];
  if (behaviour.channel !== undefined) filters.push(sql`t.channel = ${behaviour.channel}`);
  if (behaviour.campaignId !== undefined) filters.push(sql`t.campaign_id = ${behaviour.campaignId}::uuid`);
  if (behaviour.properties !== undefined) filters.push(sql`t.properties @> ${JSON.stringify(behaviour.properties)}::jsonb`);
  const since = behaviour.within === undefined ? null : resolveDate({ ago: behaviour.within }, now);
  if (since !== null) filters.push(sql`t.occurred_at >= ${since}::timestamptz`);
  const where = joinSql(filters, ' and ');
  const atLeast = behaviour.atLeast ?? 1;
  if (atLeast <= 1) {
    const found = sql`exists (select 1 from touchpoints t where ${where})`;
    return { fragment: negated ? sql`not ${found}` : found, nullable: false };
  }
  const count = sql`(select count(*) from (select 1 from touchpoints t where ${where} limit ${atLeast}) n)`;
  return { fragment: negated ? sql`${count} < ${atLeast}` : sql`${count} >= ${atLeast}`, nullable: false };
}

/** Membership of a static segment: the (segment_id, lead_id) primary key of segment_members. */
export function compileStaticMembership(segmentId: string): Predicate {
  return {
    fragment: sql`exists (select 1 from segment_members m where m.segment_id = ${segmentId}::uuid and m.lead_id = l.id)`,
    nullable: false,
  };
}
