import { EntityManager } from '@mikro-orm/postgresql';
import { SegmentDefinitions } from './segment-definitions';

/**
 * Answers, for one lead, whether it meets each condition (segment language), in one round trip:
 * `select (cond1), (cond2), … from leads l where l.id = ?`. A lead that no longer exists meets none.
 * Branch steps in running flows and the dry run both ask through here, so they always agree.
 */
export async function leadMeetsConditions(em: EntityManager, leadId: string, conditions: unknown[], now = new Date()): Promise<boolean[]> {
  if (conditions.length === 0) return [];
  const definitions = new SegmentDefinitions();
  const columns: string[] = [];
  const params: unknown[] = [];
  for (const [i, condition] of conditions.entries()) {
    const compiled = await definitions.compile(em, condition as Record<string, unknown>, now);
    columns.push(`(${compiled.where}) as c${i}`);
    params.push(...compiled.params);
  }
  const rows = await em.getConnection().execute<Record<string, boolean>[]>(
    `select ${columns.join(', ')} from leads l where l.id = ?`,
    [...params, leadId],
  );
  const row = rows[0];
  return conditions.map((_, i) => row?.[`c${i}`] === true);
}
