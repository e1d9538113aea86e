import { EntityManager } from '@mikro-orm/postgresql';
import { SegmentDefinitions } from './segment-definitions';

/**
 * Answers, for one lead, whether it meets each condition (segment language), with one query over
 * leads — `select (cond1), (cond2), … from leads l where l.id = ?` — after reading the declared
 * attributes and the segments the conditions use, once for all of them. A lead that no longer exists meets none.
 * Branch steps in running flows and the dry run both ask through here, so they always agree.
 */
export async function leadMeetsConditions(em: EntityManager, leadId: string, conditions: unknown[], now = new Date()): Promise<boolean[]> {
  if (conditions.length === 0) return [];
  const compiled = await new SegmentDefinitions().compileAll(em, conditions as Record<string, unknown>[], now);
  const columns = compiled.map((c, i) => `(${c.where}) as c${i}`);
  const params = compiled.flatMap((c) => c.params);
  const rows = await em.getConnection().execute<Record<string, boolean>[]>(
    `select ${columns.join(', ')} from leads l where l.id = ?`,
    [...params, leadId],
  );
  const row = rows[0];
  return conditions.map((_, i) => row?.[`c${i}`] === true);
}
