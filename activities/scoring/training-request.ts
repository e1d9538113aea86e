import type { Client } from '@temporalio/client';
import { workflowIds } from '@ce/contracts';
import { startOrJoin, StartedWorkflow } from '../singleton-workflow';

/**
 * How everything asks for the predictive score to be trained (`trainPredictiveScore`): under one
 * workflow id, so that at most one training runs. The weekly schedule (through
 * `weeklyPredictiveTraining`) and the API start it or join the one running.
 */
export function startPredictiveTraining(temporal: Client): Promise<StartedWorkflow> {
  return startOrJoin(temporal, 'trainPredictiveScore', workflowIds.predictiveTraining);
}
