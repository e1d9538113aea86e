import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { leadsMeetConditions } from '@ce/audience';
import { arrayLiteral, RoutingSettings, ROUTING_SETTINGS_ID } from '@ce/db';

/** A routing rule as it is stored: leads that meet `when` go to one of `repIds`. */
export interface RoutingRule {
  id: string;
  name: string;
  when: Record<string, unknown>;
  repIds: string[];
}

/** The routing settings (made with the defaults if the migration's row was removed), locked for update when asked. */
export async function routingSettings(em: EntityManager, lock = false): Promise<RoutingSettings> {
  await em.execute('insert into routing_settings (id, rules) values (?, ?::jsonb) on conflict do nothing', [ROUTING_SETTINGS_ID, '[]']);
  return em.findOneOrFail(RoutingSettings, ROUTING_SETTINGS_ID, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : { refresh: true });
}

/**
 * The rep a lead goes to, or null when nobody can take it now. The candidates are the reps of
 * the first routing rule whose condition the lead meets, or every rep when none does; of those,
 * the active ones under their capacity (open hand-offs) and not in `exclude` (reps it was with
 * before); of those, the one given a lead longest ago (round robin), then by id. The candidates
 * are locked in id order, so that two hand-offs routed at once see each other's assignments.
 */
export async function chooseRep(em: EntityManager, leadId: string, rules: readonly RoutingRule[], exclude: readonly string[]): Promise<{ repId: string; ruleId: string | null } | null> {
  const meets = rules.length === 0 ? [] : (await leadsMeetConditions(em, [leadId], rules.map((r) => r.when)))[0];
  const rule = rules.find((_, i) => meets[i]) ?? null;
  const candidates = rule ? rule.repIds : null;
  const rows = await em.execute<{ id: string }[]>(
    `with locked as (
       select r.id, r.capacity, r.last_assigned_at from sales_reps r
        where r.active and (?::uuid[] is null or r.id = any(?::uuid[])) and not (r.id = any(?::uuid[]))
        order by r.id for update
     )
     select c.id from locked c
      where c.capacity is null or c.capacity > (select count(*) from handoffs h where h.rep_id = c.id and h.status in ('assigned', 'escalated'))
      order by c.last_assigned_at asc nulls first, c.id
      limit 1`,
    [candidates ? arrayLiteral(candidates) : null, candidates ? arrayLiteral(candidates) : null, arrayLiteral([...exclude])],
  );
  return rows[0] ? { repId: String(rows[0].id), ruleId: rule?.id ?? null } : null;
}
