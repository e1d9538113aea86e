import type { MikroORM } from '@mikro-orm/postgresql';
import { rescoreLeads, RescoreOutcome } from './rescore-leads';
import { currentPredictiveModel } from './predictive-models';
import { currentScoringModel } from './scoring-models';

/** Leads scored per transaction. */
export const SCORE_BATCH = 500;

/**
 * Takes up to `limit` leads from the score queue, oldest first, and scores them in the same
 * transaction, so a lead leaves the queue only with its new score stored. Rows other updaters
 * hold are skipped, so any number can run side by side.
 */
export async function drainScoreQueueOnce(orm: MikroORM, limit = SCORE_BATCH, now = new Date()): Promise<RescoreOutcome> {
  return orm.em.fork().transactional(async (tx) => {
    const taken = await tx.execute<{ lead_id: string }[]>(
      `delete from score_queue where lead_id in (
         select lead_id from score_queue order by queued_at, lead_id limit ? for update skip locked
       ) returning lead_id`,
      [limit],
    );
    if (taken.length === 0) return { scored: 0, changed: 0, moved: [] };
    const ids = taken.map((r) => String(r.lead_id)).sort();
    return rescoreLeads(tx, ids, now, await currentScoringModel(tx), await currentPredictiveModel(tx));
  });
}
