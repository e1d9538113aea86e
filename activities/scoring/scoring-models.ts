import type { EntityManager } from '@mikro-orm/postgresql';
import { ScoringModelVersion } from '@ce/db';
import type { ScoringModel } from '@ce/scoring';

/** The model in force: the highest version saved. */
export interface CurrentScoringModel {
  version: number;
  model: ScoringModel;
}

/** The model in force, or null before one is saved. */
export async function currentScoringModel(em: EntityManager): Promise<CurrentScoringModel | null> {
  const [row] = await em.find(ScoringModelVersion, {}, { orderBy: { version: 'desc' }, limit: 1 });
  return row ? { version: row.version, model: row.model as unknown as ScoringModel } : null;
}
