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
 * Behaviour: the lead's matching touchpoints. Both forms are EXISTS, which PostgreSQL turns
 * into a semi-join (an anti-join under `didNot` or `not`), never a NOT IN:
 * - at least once: correlated on `t.lead_id = l.id`; planned as a hash semi-join over an
 *   index-only scan of (type, occurred_at) INCLUDE (lead_id, channel, campaign_id) when many
 *   leads are tested, or as index probes on (lead_id, occurred_at) when other conditions leave few;
 * - at least N: the leads with N or more matches, grouped once from that same index, then
 *   joined. A correlated count per lead costs an index probe and heap visits per lead (seconds
 *   per million leads) and was several times slower when measured at 500k leads × 5M touchpoints.
 */
export function compileBehaviour(behaviour: Behaviour, negated: boolean, now: Date): Predicate {
  const filters = [sql`t.type = ${behaviour.type}`];
  if (behaviour.channel !== undefined) filters.push(sql`t.channel = ${behaviour.channel}`);
  if (behaviour.campaignId !== undefined) filters.push(sql`t.campaign_id = ${behaviour.campaignId}::uuid`);
  if (behaviour.properties !== undefined) filters.push(sql`t.properties @> ${JSON.stringify(behaviour.properties)}::jsonb`);
  const since = behaviour.within === undefined ? null : resolveDate({ ago: behaviour.within }, now);
  if (since !== null) filters.push(sql`t.occurred_at >= ${since}::timestamptz`);
  const where = joinSql(filters, ' and ');
  const atLeast = behaviour.atLeast ?? 1;
  const found =
    atLeast <= 1
      ? sql`exists (select 1 from touchpoints t where t.lead_id = l.id and ${where})`
      : sql`exists (select 1 from (select t.lead_id from touchpoints t where ${where} group by t.lead_id having count(*) >= ${atLeast}) n where n.lead_id = l.id)`;
  return { fragment: negated ? sql`not ${found}` : found, nullable: false };
}

/** Membership of a static segment: the (segment_id, lead_id) primary key of segment_members. */
export function compileStaticMembership(segmentId: string): Predicate {
  return {
    fragment: sql`exists (select 1 from segment_members m where m.segment_id = ${segmentId}::uuid and m.lead_id = l.id)`,
    nullable: false,
  };
}
