import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import { rescoreLeads } from './rescore-leads';
import { trainAndStore, PredictiveTraining } from './predictive-models';
import { recomputeAgain, startScoreRecompute } from './recompute-request';
import { startPredictiveTraining } from './training-request';
import { currentPredictiveModel } from './predictive-models';
import { currentScoringModel } from './scoring-models';

/** Leads scored per transaction of a recompute. */
export const RECOMPUTE_PAGE_SIZE = 1_000;
/** A chunk of a recompute ends after the page that passes this, so the workflow can take signals. */
const CHUNK_MS = 60_000;

export interface RecomputeChunk {
  /** The last lead scored, to go on after; null when every lead has been. */
  next: string | null;
  scored: number;
  moved: number;
}

/** `pageSize`: leads per page (RECOMPUTE_PAGE_SIZE). */
export const createScoringActivities = ({ orm, logger, temporal }: Pick<ActivityDeps, 'orm' | 'logger' | 'temporal'>, options: { pageSize?: number } = {}) => ({
  /**
   * Works out the scores of the leads after `after` (by id) again, page by page, each page in a
   * transaction under the model in force at that page, for about a minute. Heartbeats the last
   * lead of each page: a retry after a crash goes on from there.
   */
  async rescoreLeadChunk(input: { after: string }): Promise<RecomputeChunk> {
    const context = Context.current();
    const resumed = context.info.heartbeatDetails as { cursor?: unknown } | undefined;
    let cursor = typeof resumed?.cursor === 'string' ? resumed.cursor : input.after;
    const started = Date.now();
    let scored = 0;
    let moved = 0;
    const em = orm.em.fork();
    for (;;) {
      const page = await em.execute<{ id: string }[]>('select id from leads where id > ? order by id limit ?', [cursor, options.pageSize ?? RECOMPUTE_PAGE_SIZE]);
      if (page.length === 0) return { next: null, scored, moved };
      const ids = page.map((r) => String(r.id));
      const outcome = await em.fork().transactional(async (tx) => rescoreLeads(tx, ids, new Date(), await currentScoringModel(tx), await currentPredictiveModel(tx)));
      scored += outcome.scored;
      moved += outcome.moved.length;
      cursor = ids[ids.length - 1];
      context.heartbeat({ cursor });
      if (Date.now() - started >= CHUNK_MS) {
        logger.debug({ msg: 'scores recomputed', scored, moved, cursor });
        return { next: cursor, scored, moved };
      }
    }
  },

  /** For the daily schedule: hands the recompute to its one workflow id (see recompute-request.ts). */
  async requestScoreRecompute(): Promise<{ workflowId: string; runId: string }> {
    return startScoreRecompute(temporal);
  },

  /** After a new predictive model: every lead scored again (the running recompute starts over). */
  async restartScoreRecompute(): Promise<{ workflowId: string; runId: string }> {
    return recomputeAgain(temporal);
  },

  /** Trains the predictive score on historical leads and stores the outcome as the next version. */
  async trainPredictiveScore(): Promise<PredictiveTraining> {
    const training = await trainAndStore(orm.em.fork());
    logger.info({ msg: 'predictive score trained', version: training.version, status: training.status, auc: training.auc, rows: training.rows });
    return training;
  },

  /** For the weekly schedule: hands the training to its one workflow id (see training-request.ts). */
  async requestPredictiveTraining(): Promise<{ workflowId: string; runId: string }> {
    return startPredictiveTraining(temporal);
  },
});
