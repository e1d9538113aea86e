import type { FlowStep } from '@ce/flows';

/** What every action activity receives: who, where in the flow, and the step's settings. */
export interface ActionInput {
  campaignId: string;
  enrollmentId: string;
  leadId: string;
  stepId: string;
  step: FlowStep;
  /**
   * Which try of this step for this lead (1 for the first). Set by the workflow, which tries a
   * lead again itself; absent when the activity is called on its own, whose Temporal attempt
   * counts instead.
   */
  attempt?: number;
}

/**
 * Failure types an action throws (non-retryable) when its campaign is not running: the nurture
 * workflow holds the step until resume, or ends the path.
 */
export const ACTION_FAILURES = { campaignPaused: 'CampaignPaused', campaignEnded: 'CampaignEnded' } as const;

export interface ActionResult {
  /** What happened, in a word: `sent`, `suppressed`, `skipped`, … */
  outcome: string;
}

/** One lead of a batch: its enrollment and who it is. */
export interface ActionMember {
  enrollmentId: string;
  leadId: string;
  /** Which try of the step for this lead: 1, or more after `retry` outcomes. */
  attempt?: number;
}

/**
 * What the workflow hands an action step's activity: the same step for every lead of a cohort
 * that reached it in the same turn. The activity answers for each lead on its own.
 */
export interface ActionBatchInput {
  campaignId: string;
  stepId: string;
  step: FlowStep;
  members: ActionMember[];
}

/**
 * One lead's answer from a batch (a `MemberOutcome` names its enrollment), in the order of `members`:
 * - `done`: the step is carried out (or was already);
 * - `failed`: it failed for good, with the failure type (the lead's path ends, or holds for
 *   `CampaignPaused`);
 * - `retry`: not now (a 4xx from the mail server, a busy receiver); the workflow tries this
 *   lead again after a backoff, or after `retryAfterMs` when the activity knows better.
 */
export type MemberAnswer =
  | { kind: 'done'; outcome: string }
  | { kind: 'failed'; type: string; message: string }
  | { kind: 'retry'; type?: string; reason: string; retryAfterMs?: number };
export type MemberOutcome = MemberAnswer & { enrollmentId: string };

export interface CompleteEnrollmentInput {
  enrollmentId: string;
  status: 'completed' | 'exited';
  reason: string;
  /** The steps the lead went through, kept on the enrollment once its workflow has moved on. */
  path?: { stepId: string; enteredAt: string }[];
}

export interface LeadConditionsInput {
  leadId: string;
  /** Conditions in the segment language. */
  conditions: unknown[];
}

/** The same conditions asked of several leads at once; answered per lead, in order. */
export interface CohortConditionsInput {
  leadIds: string[];
  conditions: unknown[];
}
