import { Client, ScheduleAlreadyRunning, ScheduleOptionsAction } from '@temporalio/client';
import { TASK_QUEUES, workflowIds } from '@ce/contracts';

/** The daily refresh: a small workflow that hands the refresh to its one workflow id. */
const DAILY_REFRESH: ScheduleOptionsAction = {
  type: 'startWorkflow',
  workflowType: 'dailyAttributionRefresh',
  taskQueue: TASK_QUEUES.campaigns,
  workflowId: workflowIds.attributionRefreshSchedule,
};

/**
 * The engine's Temporal Schedules, made once: every worker tries at start and finds them there
 * after the first (and brings an older schedule's action up to date). The data-driven
 * attribution models are recomputed every day at 03:00 UTC. The schedule starts
 * `dailyAttributionRefresh`, which starts `refreshAttributionModels` under the id the on-demand
 * refresh and settings changes use, or joins the one running, so refreshes are never doubled.
 */
export async function ensureSchedules(temporal: Client): Promise<void> {
  try {
    await temporal.schedule.create({
      scheduleId: workflowIds.attributionRefreshSchedule,
      spec: { calendars: [{ hour: 3, minute: 0 }] },
      action: DAILY_REFRESH,
      policies: { overlap: 'SKIP' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await temporal.schedule.getHandle(workflowIds.attributionRefreshSchedule).update((previous) => ({ ...previous, action: DAILY_REFRESH }));
  }
}
