import { arrayLiteral } from '@ce/db';
import { EntityManager } from '@mikro-orm/postgresql';
import { SegmentDefinitions } from './segment-definitions';

/**
 * Answers, for one lead, whether it meets each condition (segment language), with one query over
 * leads — `select (cond1), (cond2), … from leads l where l.id = ?` — after reading the declared
 * attributes and the segments the conditions use, once for all of them. A lead that no longer exists meets none.
 * Branch steps in running flows and the dry run both ask through here, so they always agree.
 */
export async function leadMeetsConditions(em: EntityManager, leadId: string, conditions: unknown[], now = new Date()): Promise<boolean[]> {
  return (await leadsMeetConditions(em, [leadId], conditions, now))[0];
}

/**
 * The same conditions asked of several leads, in one query: for each lead (in order), whether it
 * meets each condition (in order). A lead that no longer exists meets none.
 */
export async function leadsMeetConditions(em: EntityManager, leadIds: string[], conditions: unknown[], now = new Date()): Promise<boolean[][]> {
  if (conditions.length === 0 || leadIds.length === 0) return leadIds.map(() => []);
  const compiled = await new SegmentDefinitions().compileAll(em, conditions as Record<string, unknown>[], now);
  const columns = compiled.map((c, i) => `(${c.where}) as c${i}`);
  const params = compiled.flatMap((c) => c.params);
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(
    `select l.id as lead_id, ${columns.join(', ')} from leads l where l.id = any(?::uuid[])`,
    [...params, arrayLiteral(leadIds)],
  );
  const byLead = new Map(rows.map((row) => [String(row.lead_id), row]));
  return leadIds.map((id) => {
    const row = byLead.get(id.toLowerCase());
    return conditions.map((_, i) => row?.[`c${i}`] === true);
  });
}
