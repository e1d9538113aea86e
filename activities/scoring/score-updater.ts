import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { rescoreLeads, RescoreOutcome } from './rescore-leads';
import { currentPredictiveModel } from './predictive-models';
import { currentScoringModel } from './scoring-models';

/** Leads scored per transaction. */
export const SCORE_BATCH = 500;
/** How often an idle updater looks for leads to score. */
export const IDLE_POLL_MS = 500;
/** After a failed batch, how long before trying again. */
const RETRY_MS = 2_000;

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

/**
 * The worker's score updater: scores the leads on the queue as they arrive (within about
 * `IDLE_POLL_MS` of the event), batch after batch while there are more. A failed batch stays on
 * the queue (its transaction rolled back) and is tried again.
 */
export class ScoreUpdater {
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly logger: Logger,
  ) {}

  /** Runs until `stop()`; resolves when the batch in hand has finished. */
  async run(): Promise<void> {
    while (!this.stopping) {
      let pause = IDLE_POLL_MS;
      try {
        const outcome = await drainScoreQueueOnce(this.orm);
        if (outcome.scored > 0)
          this.logger.debug({ msg: 'leads scored', scored: outcome.scored, changed: outcome.changed, moved: outcome.moved.length });
        if (outcome.scored === SCORE_BATCH) pause = 0;
      } catch (error) {
        this.logger.warn({ msg: 'scoring a batch failed; it stays queued', err: (error as Error).message });
        pause = RETRY_MS;
      }
      if (pause > 0 && !this.stopping) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  stop(): void {
    this.stopping = true;
    this.wake?.();
  }
}
