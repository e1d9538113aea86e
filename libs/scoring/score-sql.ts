import { CompiledSegment, joinSql, sql, SqlFragment, trusted } from '@ce/segments';
import type { BehaviourRule, EventMatch, ScoringModel } from './scoring-model.types';
import { DAY_MS, LeadFacts } from './score';

/*
 * The one statement that reads what a model needs to know about a batch of leads: for each
 * lead, whether each fit and negative rule's condition holds (the rule's segment condition,
 * compiled over `leads l`), each behaviour rule's matching touchpoints in its look-back window
 * (how many, and the sum of their weights 2^(−age / half-life)), its latest touchpoint and the
 * points flows gave it. The touchpoints are read per lead through the (lead, occurred_at)
 * index, only as far back as the longest look-back. Every value is a parameter.
 */

/** The statement's row for one lead. */
export type LeadFactsRow = Record<string, unknown> & { lead_id: string; created_at: Date | string; lifecycle_stage: string; last_touch_at: Date | string | null; adjusted: number | string };

/**
 * The statement for `leadIds`, given the model's conditions compiled (by rule id) at `now`,
 * with `?` placeholders and its parameters in order.
 */
export function leadFactsSql(model: ScoringModel, conditions: ReadonlyMap<string, CompiledSegment>, leadIds: readonly string[], now: Date): { sql: string; params: unknown[] } {
  const at = now.toISOString();
  const columns: SqlFragment[] = [trusted('l.id as lead_id, l.created_at, l.lifecycle_stage, l.score')];
  const behaviour: SqlFragment[] = [];
  model.rules.forEach((rule, i) => {
    if (rule.kind === 'behaviour') {
      const match = matchSql(rule, at);
      behaviour.push(sql`count(*) filter (where ${match}) as n${trusted(String(i))}`);
      behaviour.push(sql`coalesce(sum(${weightSql(rule, at)}) filter (where ${match}), 0) as w${trusted(String(i))}`);
      columns.push(trusted(`b.n${i}, b.w${i}`));
    } else if (rule.when !== null) {
      const compiled = conditions.get(rule.id);
      if (!compiled) throw new Error(`The condition of rule ${rule.id} was not compiled`);
      columns.push(new SqlFragment(`coalesce((${compiled.where}), false) as h${i}`, compiled.params));
    }
  });
  columns.push(sql`(select max(t.occurred_at) from touchpoints t where t.lead_id = l.id and t.occurred_at <= ${at}::timestamptz) as last_touch_at`);
  columns.push(trusted('coalesce((select sum(a.points) from lead_score_adjustments a where a.lead_id = l.id), 0) as adjusted'));

  const lookback = Math.max(0, ...model.rules.filter((r): r is BehaviourRule => r.kind === 'behaviour').map((r) => r.lookbackDays));
  const touches =
    behaviour.length === 0
      ? trusted('')
      : sql`
  left join lateral (
    select ${joinSql(behaviour, ',\n           ')}
      from touchpoints t
     where t.lead_id = l.id and t.occurred_at > ${at}::timestamptz - ${lookback}::int * interval '1 day'
  ) b on true`;
  const statement = sql`select ${joinSql(columns, ',\n       ')}
  from leads l${touches}
 where l.id = any(${`{${leadIds.join(',')}}`}::uuid[])`;
  return { sql: statement.text, params: [...statement.params] };
}

/** The touchpoint `t` counts for the rule: in its window, and every filter of its match. */
function matchSql(rule: BehaviourRule, at: string): SqlFragment {
  const event: EventMatch = rule.event;
  const parts = [sql`t.occurred_at > ${at}::timestamptz - ${rule.lookbackDays}::int * interval '1 day'`];
  if (event.type) parts.push(sql`t.type = any(${`{${event.type.join(',')}}`}::text[])`);
  if (event.channel) parts.push(sql`t.channel = any(${`{${event.channel.join(',')}}`}::text[])`);
  if (event.campaignId) parts.push(sql`t.campaign_id = ${event.campaignId}::uuid`);
  if (event.properties) parts.push(sql`t.properties @> ${JSON.stringify(event.properties)}::jsonb`);
  return joinSql(parts, ' and ');
}

/** The touchpoint's weight under the rule's half-life, as `decayWeight` works it out. */
function weightSql(rule: BehaviourRule, at: string): SqlFragment {
  if (rule.halfLifeDays === null) return trusted('1::float8');
  const halfLifeSeconds = (rule.halfLifeDays * DAY_MS) / 1000;
  return sql`power(0.5::float8, greatest(extract(epoch from (${at}::timestamptz - t.occurred_at))::float8, 0) / ${halfLifeSeconds}::float8)`;
}

/** The facts of one lead from its row. */
export function factsOfRow(model: ScoringModel, row: LeadFactsRow): LeadFacts {
  const holds: LeadFacts['holds'] = {};
  const touches: LeadFacts['touches'] = {};
  model.rules.forEach((rule, i) => {
    if (rule.kind === 'behaviour') touches[rule.id] = { count: Number(row[`n${i}`] ?? 0), weight: Number(row[`w${i}`] ?? 0) };
    else if (rule.when !== null) holds[rule.id] = row[`h${i}`] === true;
  });
  return {
    leadId: String(row.lead_id),
    createdAt: new Date(row.created_at),
    lastTouchAt: row.last_touch_at === null ? null : new Date(row.last_touch_at),
    holds,
    touches,
    adjusted: Number(row.adjusted),
  };
}

/** The latest `limit` touchpoints of one lead that count for a behaviour rule at `now`, newest first. */
export function ruleTouchpointsSql(rule: BehaviourRule, leadId: string, now: Date, limit: number): { sql: string; params: unknown[] } {
  const statement = sql`select t.id, t.type, t.channel, t.campaign_id, t.occurred_at
  from touchpoints t
 where t.lead_id = ${leadId}::uuid and ${matchSql(rule, now.toISOString())}
 order by t.occurred_at desc, t.id
 limit ${limit}::int`;
  return { sql: statement.text, params: [...statement.params] };
}
