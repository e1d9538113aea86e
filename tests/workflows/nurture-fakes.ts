import { Context } from '@temporalio/activity';
import type { ActionInput, ActionResult, CompleteEnrollmentInput, LeadConditionsInput } from '@ce/contracts';
import type { FlowStep } from '@ce/flows';
import type { Activities } from '@activities/index';
import { ACTION_STEP_TYPES } from '@activities/step-types';

/** The names of the activities that carry out action steps: those that take an ActionInput. */
export type ActionActivityName = {
  [K in keyof Activities]: Activities[K] extends (input: ActionInput) => Promise<ActionResult> ? K : never;
}[keyof Activities];

/**
 * Every action activity the worker has. Typed against `Activities`, so adding or renaming one
 * there without adding it here does not compile.
 */
export const ACTION_ACTIVITY_NAMES: Record<ActionActivityName, true> = {
  sendEmail: true,
  updateLead: true,
  adjustScore: true,
  notifySales: true,
  deliverWebhook: true,
  notifyChat: true,
};

export type NurtureFakes = Pick<Activities, ActionActivityName | 'evaluateLeadConditions' | 'completeEnrollment'>;

/** One run of an action activity, as the activity saw it. */
export interface ActionCall {
  activity: string;
  workflowId: string;
  taskQueue: string;
  /** Server time (skipped ahead by the test server) at which the attempt was scheduled. */
  scheduledAt: number;
  input: ActionInput;
}

export interface LookupCall {
  workflowId: string;
  taskQueue: string;
  scheduledAt: number;
  input: LeadConditionsInput;
}

/**
 * Fake activities that record what the workflow asked for; the workflow, not the sending, is
 * under test. `failAction` may throw to make an attempt fail; `answers` answers lookups.
 */
export class RecordingActivities {
  readonly actions: ActionCall[] = [];
  readonly lookups: LookupCall[] = [];
  readonly completions: (CompleteEnrollmentInput & { workflowId: string })[] = [];

  constructor(
    private readonly options: {
      failAction?: (call: ActionCall, attempt: number) => Error | undefined;
      answers?: (input: LeadConditionsInput) => boolean[];
    } = {},
  ) {}

  /** The action runs of one workflow, oldest first. */
  runsOf(workflowId: string): ActionCall[] {
    return this.actions.filter((call) => call.workflowId === workflowId);
  }

  build(): NurtureFakes {
    const record = (activity: string) => async (input: ActionInput): Promise<ActionResult> => {
      const info = Context.current().info;
      const call: ActionCall = {
        activity,
        workflowId: workflowIdOf(info),
        taskQueue: info.taskQueue,
        scheduledAt: info.currentAttemptScheduledTimestampMs,
        input,
      };
      this.actions.push(call);
      const failure = this.options.failAction?.(call, this.actions.filter((c) => c.workflowId === call.workflowId).length);
      if (failure) throw failure;
      return { outcome: 'done' };
    };
    // Keyed by each registered action type's activity name, so every type added later is covered.
    const actions = Object.fromEntries(ACTION_STEP_TYPES.map((def) => [def.activity, record(String(def.activity))])) as Pick<
      Activities,
      ActionActivityName
    >;
    return {
      ...actions,
      evaluateLeadConditions: async (input: LeadConditionsInput): Promise<boolean[]> => {
        const info = Context.current().info;
        this.lookups.push({
          workflowId: workflowIdOf(info),
          taskQueue: info.taskQueue,
          scheduledAt: info.currentAttemptScheduledTimestampMs,
          input,
        });
        return this.options.answers?.(input) ?? input.conditions.map(() => false);
      },
      completeEnrollment: async (input: CompleteEnrollmentInput): Promise<void> => {
        this.completions.push({ ...input, workflowId: workflowIdOf(Context.current().info) });
      },
    };
  }
}

/** The id of the workflow that scheduled the activity (every activity here has one). */
function workflowIdOf(info: Context['info']): string {
  return info.workflowExecution?.workflowId ?? '(none)';
}

export const WELCOME_TEMPLATE = '6f1c1c8e-0d7b-4a51-9b0e-2f4f5c1f2a10';
export const REMINDER_TEMPLATE = '0b5e7a52-3c1d-4f8e-a9b6-7d2c4e1f0a93';

export const sendEmail = (templateId: string, next: string | null = null): FlowStep => ({ type: 'send_email', templateId, next });
