import type { FlowStep } from '@ce/flows';

/** What every action activity receives: who, where in the flow, and the step's settings. */
export interface ActionInput {
  campaignId: string;
  enrollmentId: string;
  leadId: string;
  stepId: string;
  step: FlowStep;
}

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
