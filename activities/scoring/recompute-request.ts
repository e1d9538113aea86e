import type { Client } from '@temporalio/client';
import { recomputeAgainSignal, workflowIds } from '@ce/contracts';
import { startOrJoin, startOrSignal, StartedWorkflow } from '../singleton-workflow';

/**
 * How everything asks for every lead's score to be worked out again (`recomputeScores`): under
 * one workflow id, so that at most one recompute runs. The daily schedule (through
 * `dailyScoreRecompute`) and the API's on-demand request start it or join the one running; a
 * new scoring model makes a running one start over under the new model.
 */

/** Starts the recompute, or answers the one already running. */
export function startScoreRecompute(temporal: Client): Promise<StartedWorkflow> {
  return startOrJoin(temporal, 'recomputeScores', workflowIds.scoreRecompute);
}

/** Starts the recompute, or makes the one running start over from the first lead. */
export function recomputeAgain(temporal: Client): Promise<StartedWorkflow> {
  return startOrSignal(temporal, 'recomputeScores', workflowIds.scoreRecompute, recomputeAgainSignal);
}
