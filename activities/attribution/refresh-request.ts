import type { Client } from '@temporalio/client';
import { refreshAgainSignal, workflowIds } from '@ce/contracts';
import { startOrJoin, startOrSignal, StartedWorkflow } from '../singleton-workflow';

/**
 * How everything asks for the refresh of the data-driven models (`refreshAttributionModels`):
 * always under one workflow id, so that at most one runs. The API's on-demand refresh and the
 * daily schedule (through `dailyAttributionRefresh`) start it or join the one running; a change
 * of the attribution settings makes a running one go once more.
 */

/** Starts the refresh, or answers the one already running. */
export function startAttributionRefresh(temporal: Client): Promise<StartedWorkflow> {
  return startOrJoin(temporal, 'refreshAttributionModels', workflowIds.attributionRefresh);
}

/** Starts the refresh, or makes the one running go once more after its current pass. */
export function refreshAgain(temporal: Client): Promise<StartedWorkflow> {
  return startOrSignal(temporal, 'refreshAttributionModels', workflowIds.attributionRefresh, refreshAgainSignal);
}
