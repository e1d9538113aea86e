import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import type { MikroORM } from '@mikro-orm/postgresql';
import { rescoreLeads, RescoreOutcome } from './rescore-leads';
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

/**
 * Scores the page of leads after `after` (by id) in one transaction, under the models in force;
 * null when there are no more leads.
 */
export async function rescorePageAfter(orm: MikroORM, after: string, pageSize: number): Promise<{ last: string; outcome: RescoreOutcome } | null> {
  const rows = await orm.em.fork().execute<{ id: string }[]>('select id from leads where id > ? order by id limit ?', [after, pageSize]);
  if (rows.length === 0) return null;
  const ids = rows.map((r) => String(r.id));
  const outcome = await orm.em.fork().transactional(async (tx) => rescoreLeads(tx, ids, new Date(), await currentScoringModel(tx), await currentPredictiveModel(tx)));
  return { last: ids[ids.length - 1], outcome };
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
    for (;;) {
      const page = await rescorePageAfter(orm, cursor, options.pageSize ?? RECOMPUTE_PAGE_SIZE);
      if (!page) return { next: null, scored, moved };
      scored += page.outcome.scored;
      moved += page.outcome.moved.length;
      cursor = page.last;
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
