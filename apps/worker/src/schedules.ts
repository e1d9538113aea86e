import { CalendarSpec, Client, ScheduleAlreadyRunning, ScheduleOptionsAction } from '@temporalio/client';
import { TASK_QUEUES, workflowIds } from '@ce/contracts';

interface EngineSchedule {
  scheduleId: string;
  /** When it runs (UTC). */
  calendar: CalendarSpec;
  action: ScheduleOptionsAction;
}

/**
 * A schedule's action: a small workflow that hands the work to its one workflow id (started, or
 * joined when it is running already), since a schedule gives each workflow it starts an id of
 * its own.
 */
const handOver = (workflowType: string, workflowId: string): ScheduleOptionsAction => ({
  type: 'startWorkflow',
  workflowType,
  taskQueue: TASK_QUEUES.campaigns,
  workflowId,
});

/**
 * Every day at 03:00 UTC the data-driven attribution models are recomputed
 * (`dailyAttributionRefresh` → `refreshAttributionModels`); at 04:00 UTC every lead's score is
 * worked out again, so that interest decays (`dailyScoreRecompute` → `recomputeScores`). Every
 * Monday at 05:00 UTC the predictive score is trained again (`weeklyPredictiveTraining` →
 * `trainPredictiveScore`).
 */
export const SCHEDULES: readonly EngineSchedule[] = [
  {
    scheduleId: workflowIds.attributionRefreshSchedule,
    calendar: { hour: 3, minute: 0 },
    action: handOver('dailyAttributionRefresh', workflowIds.attributionRefreshSchedule),
  },
  { scheduleId: workflowIds.scoreRecomputeSchedule, calendar: { hour: 4, minute: 0 }, action: handOver('dailyScoreRecompute', workflowIds.scoreRecomputeSchedule) },
  {
    scheduleId: workflowIds.predictiveTrainingSchedule,
    calendar: { dayOfWeek: 'MONDAY', hour: 5, minute: 0 },
    action: handOver('weeklyPredictiveTraining', workflowIds.predictiveTrainingSchedule),
  },
];

/**
 * The engine's Temporal Schedules, made once: every worker tries at start and finds them there
 * after the first (and brings an older schedule's action up to date). Overlapping runs are
 * skipped, and the work itself runs under its one id, so it is never doubled.
 */
export async function ensureSchedules(temporal: Client): Promise<void> {
  for (const { scheduleId, calendar, action } of SCHEDULES) {
    try {
      await temporal.schedule.create({ scheduleId, spec: { calendars: [calendar] }, action, policies: { overlap: 'SKIP' } });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await temporal.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, action }));
    }
  }
}
