import type { FlowStep } from '@ce/flows';

/** What every action activity receives: who, where in the flow, and the step's settings. */
export interface ActionInput {
  campaignId: string;
  enrollmentId: string;
  leadId: string;
  stepId: string;
  step: FlowStep;
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

export interface CompleteEnrollmentInput {
  enrollmentId: string;
  status: 'completed' | 'exited';
  reason: string;
}

export interface LeadConditionsInput {
  leadId: string;
  /** Conditions in the segment language. */
  conditions: unknown[];
}
