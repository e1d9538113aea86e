import { Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import { refreshAgainSignal, TASK_QUEUES, workflowIds } from '@ce/contracts';

/**
 * How everything asks for the refresh of the data-driven models (`refreshAttributionModels`):
 * always under one workflow id, so that at most one runs. The API's on-demand refresh and the
 * daily schedule (through `dailyAttributionRefresh`) start it or join the one running; a change
 * of the attribution settings makes a running one go once more.
 */

/** Starts the refresh, or answers the one already running. */
export async function startAttributionRefresh(temporal: Client): Promise<{ workflowId: string; runId: string }> {
  const handle = await temporal.workflow.start('refreshAttributionModels', {
    taskQueue: TASK_QUEUES.campaigns,
    workflowId: workflowIds.attributionRefresh,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
  return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}

/** Starts the refresh, or makes the one running go once more after its current pass. */
export async function refreshAgain(temporal: Client): Promise<{ workflowId: string; runId: string }> {
  const handle = await temporal.workflow.signalWithStart('refreshAttributionModels', {
    taskQueue: TASK_QUEUES.campaigns,
    workflowId: workflowIds.attributionRefresh,
    signal: refreshAgainSignal,
    signalArgs: [],
  });
  return { workflowId: handle.workflowId, runId: handle.signaledRunId };
}
