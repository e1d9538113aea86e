import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { recomputeAgainSignal } from '@ce/contracts';
import type { Activities } from '@activities/index';

const { rescoreLeadChunk } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes' },
});

/** Before every lead id. */
const FIRST_LEAD = '00000000-0000-0000-0000-000000000000';

export interface RecomputeProgress {
  cursor: string;
  scored: number;
  passes: number;
}

/**
 * Works out every lead's score again, in chunks of pages by lead id: run by a daily schedule
 * (scores decay with time) and whenever the scoring model changes. A `recomputeAgain` signal
 * (another new model) makes it start over from the first lead after the chunk in hand. Long
 * runs continue as new with their progress, so the history stays small; a crash resumes from
 * the last page done.
 */
export async function recomputeScores(progress?: RecomputeProgress): Promise<{ scored: number; passes: number }> {
  let again = false;
  setHandler(recomputeAgainSignal, () => void (again = true));
  let { cursor, scored, passes } = progress ?? { cursor: FIRST_LEAD, scored: 0, passes: 1 };
  for (;;) {
    const chunk = await rescoreLeadChunk({ after: cursor });
    scored += chunk.scored;
    if (again) {
      again = false;
      cursor = FIRST_LEAD;
      passes++;
      continue;
    }
    if (chunk.next === null) return { scored, passes };
    cursor = chunk.next;
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof recomputeScores>({ cursor, scored, passes });
  }
}

const request = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes' },
});

/** What the daily schedule starts: hands the recompute to its one workflow id, or joins the one running. */
export async function dailyScoreRecompute(): Promise<string> {
  const { workflowId, runId } = await request.requestScoreRecompute();
  return `${workflowId}/${runId}`;
}

const training = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '30 seconds', maximumInterval: '10 minutes', maximumAttempts: 5 },
});

/**
 * Trains the predictive score on historical leads (or records why there were too few), then,
 * when a model came of it, has every lead scored again so each gets its predicted chance.
 */
export async function trainPredictiveScore(): Promise<{ version: number; status: string; auc: number | null }> {
  const trained = await training.trainPredictiveScore();
  if (trained.status === 'trained') await request.restartScoreRecompute();
  return { version: trained.version, status: trained.status, auc: trained.auc };
}

/** What the weekly schedule starts: hands the training to its one workflow id, or joins the one running. */
export async function weeklyPredictiveTraining(): Promise<string> {
  const { workflowId, runId } = await request.requestPredictiveTraining();
  return `${workflowId}/${runId}`;
}
