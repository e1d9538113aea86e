import { Client, ScheduleAlreadyRunning } from '@temporalio/client';
import { TASK_QUEUES, workflowIds } from '@ce/contracts';

/**
 * The engine's Temporal Schedules, made once: every worker tries at start and finds them there
 * after the first. The data-driven attribution models are recomputed every day at 03:00 UTC; a
 * refresh still running then is not doubled (the schedule skips, and the workflow id is shared
 * with the on-demand refresh).
 */
export async function ensureSchedules(temporal: Client): Promise<void> {
  try {
    await temporal.schedule.create({
      scheduleId: workflowIds.attributionRefreshSchedule,
      spec: { calendars: [{ hour: 3, minute: 0 }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'refreshAttributionModels',
        taskQueue: TASK_QUEUES.campaigns,
        workflowId: workflowIds.attributionRefresh,
      },
      policies: { overlap: 'SKIP' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
