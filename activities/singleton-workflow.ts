import { Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import { TASK_QUEUES } from '@ce/contracts';

/*
 * Workflows that run at most once at a time under one fixed id (the attribution refresh, the
 * score recompute): the API, the daily schedules and changes of settings all start them here,
 * or join or nudge the one running.
 */

export interface StartedWorkflow {
  workflowId: string;
  runId: string;
}

/** Starts the workflow, or answers the one already running under its id. */
export async function startOrJoin(temporal: Client, workflowType: string, workflowId: string): Promise<StartedWorkflow> {
  const handle = await temporal.workflow.start(workflowType, {
    taskQueue: TASK_QUEUES.campaigns,
    workflowId,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
  return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}

/** Starts the workflow, or sends `signal` to the one running (which then goes once more). */
export async function startOrSignal(temporal: Client, workflowType: string, workflowId: string, signal: SignalDefinition): Promise<StartedWorkflow> {
  const handle = await temporal.workflow.signalWithStart(workflowType, {
    taskQueue: TASK_QUEUES.campaigns,
    workflowId,
    signal,
    signalArgs: [],
  });
  return { workflowId: handle.workflowId, runId: handle.signaledRunId };
}
