import { Context } from '@temporalio/activity';
import type {
  ActionBatchInput,
  ActionInput,
  CohortConditionsInput,
  CompleteEnrollmentInput,
  JourneyOutcome,
  LeadConditionsInput,
  MemberOutcome,
} from '@ce/contracts';
import { batchActivityName, type FlowStep } from '@ce/flows';
import type { Activities } from '@activities/index';
import { outcomeOfError, type BatchAction, type SingleLeadAction } from '@activities/action-batch';
import { ACTION_STEP_TYPES } from '@activities/step-types';

/** The names of the single-lead activities that carry out action steps: those that take an ActionInput. */
export type ActionActivityName = {
  [K in keyof Activities]: Activities[K] extends SingleLeadAction ? K : never;
}[keyof Activities];

/** The names of the activities the workflow calls for an action step's batch of leads. */
export type BatchActivityName = {
  [K in keyof Activities]: Activities[K] extends BatchAction ? K : never;
}[keyof Activities];

/**
 * Every single-lead action activity the worker has, and the batch activity the workflow calls
 * for it. Typed against `Activities`, so adding or renaming one there without adding it here
 * does not compile; a test checks that the registered step types name the same pairs.
 */
export const BATCH_ACTIVITY_NAMES: Record<ActionActivityName, BatchActivityName> = {
  sendEmail: 'sendEmails',
  updateLead: 'updateLeadBatch',
  adjustScore: 'adjustScoreBatch',
  notifySales: 'notifySalesBatch',
  deliverWebhook: 'deliverWebhookBatch',
  notifyChat: 'notifyChatBatch',
};

export type NurtureFakes = Pick<Activities, BatchActivityName | 'evaluateCohortConditions' | 'completeEnrollments'>;

/** Where and when an activity ran: the workflow that scheduled it, its queue and server time. */
interface Scheduled {
  workflowId: string;
  taskQueue: string;
  /** Server time (skipped ahead by the test server) at which the attempt was scheduled. */
  scheduledAt: number;
}

/** One run of a batch activity, as the activity saw it. */
export interface BatchCall extends Scheduled {
  /** The batch activity's name, e.g. `sendEmails` or `updateLeadBatch`. */
  activity: string;
  input: ActionBatchInput;
}

/** One lead's part of a batch run: what a single-lead activity would have been given. */
export interface ActionCall extends Scheduled {
  /** The batch activity's name, as in `BatchCall`. */
  activity: string;
  input: ActionInput;
  /** The batch it was part of. */
  batch: BatchCall;
}

export interface LookupCall extends Scheduled {
  input: CohortConditionsInput;
}

/** One run of `completeEnrollments`. */
export interface CompletionCall {
  workflowId: string;
  enrollments: CompleteEnrollmentInput[];
}

/** One ended enrollment as written: its path by step ids. */
export type Completion = JourneyOutcome & { workflowId: string };

/**
 * Fake activities that record what the workflow asked for; the workflow, not the sending, is
 * under test. Every lead of a batch gets `done` unless `failAction` returns an error for it,
 * which becomes its outcome as the real batch activities make it (`outcomeOfError`): a
 * non-retryable ApplicationFailure fails the lead for good, any other error asks to retry it.
 * `failBatch` may throw for a whole batch. `answers` answers lookups, lead by lead.
 */
export class RecordingActivities {
  readonly batches: BatchCall[] = [];
  /** Every lead of every batch, in the order of the batches and their members. */
  readonly actions: ActionCall[] = [];
  readonly lookups: LookupCall[] = [];
  readonly completionCalls: CompletionCall[] = [];
  readonly completions: Completion[] = [];

  constructor(
    private readonly options: {
      /** `attempt`: the how-manyth action run of this lead, counting this one. */
      failAction?: (call: ActionCall, attempt: number) => Error | undefined;
      failBatch?: (batch: BatchCall) => Error | undefined;
      answers?: (input: LeadConditionsInput) => boolean[];
    } = {},
  ) {}

  /** The action runs of one workflow, oldest first. */
  runsOf(workflowId: string): ActionCall[] {
    return this.actions.filter((call) => call.workflowId === workflowId);
  }

  /** The action runs of one enrollment, oldest first. */
  runsFor(enrollmentId: string): ActionCall[] {
    return this.actions.filter((call) => call.input.enrollmentId === enrollmentId);
  }

  build(): NurtureFakes {
    const record = (activity: string) => async (input: ActionBatchInput): Promise<MemberOutcome[]> => {
      const batch: BatchCall = { activity, ...scheduled(), input };
      this.batches.push(batch);
      const calls = input.members.map((member): ActionCall => {
        const { members: _members, ...shared } = input;
        return { activity, workflowId: batch.workflowId, taskQueue: batch.taskQueue, scheduledAt: batch.scheduledAt, input: { ...shared, ...member }, batch };
      });
      this.actions.push(...calls);
      const whole = this.options.failBatch?.(batch);
      if (whole) throw whole;
      return calls.map((call) => {
        const attempt = this.runsFor(call.input.enrollmentId).indexOf(call) + 1;
        const failure = this.options.failAction?.(call, attempt);
        return failure ? outcomeOfError(call.input.enrollmentId, failure) : { enrollmentId: call.input.enrollmentId, kind: 'done', outcome: 'done' };
      });
    };
    // Keyed by each registered action type's batch activity name, so every type added later is covered.
    const actions = Object.fromEntries(
      ACTION_STEP_TYPES.map((def) => {
        const name = String(batchActivityName(def));
        return [name, record(name)];
      }),
    ) as Pick<Activities, BatchActivityName>;
    return {
      ...actions,
      evaluateCohortConditions: async (input: CohortConditionsInput): Promise<boolean[][]> => {
        this.lookups.push({ ...scheduled(), input });
        return input.leadIds.map(
          (leadId) => this.options.answers?.({ leadId, conditions: input.conditions }) ?? input.conditions.map(() => false),
        );
      },
      completeEnrollments: async (input: { enrollments: CompleteEnrollmentInput[] }): Promise<void> => {
        const { workflowId } = scheduled();
        this.completionCalls.push({ workflowId, enrollments: input.enrollments });
        for (const e of input.enrollments)
          this.completions.push({ workflowId, enrollmentId: e.enrollmentId, status: e.status, reason: e.reason, path: (e.path ?? []).map((p) => p.stepId) });
      },
    };
  }
}

/** Where and when the running activity was scheduled (every activity here has a workflow). */
function scheduled(): Scheduled {
  const info = Context.current().info;
  return {
    workflowId: info.workflowExecution?.workflowId ?? '(none)',
    taskQueue: info.taskQueue,
    scheduledAt: info.currentAttemptScheduledTimestampMs,
  };
}

export const WELCOME_TEMPLATE = '6f1c1c8e-0d7b-4a51-9b0e-2f4f5c1f2a10';
export const REMINDER_TEMPLATE = '0b5e7a52-3c1d-4f8e-a9b6-7d2c4e1f0a93';

export const sendEmail = (templateId: string, next: string | null = null): FlowStep => ({ type: 'send_email', templateId, next });
