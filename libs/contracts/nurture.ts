import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { FlowDefinition, FlowEvent, FlowState } from '@ce/flows';

/** One enrollment of a cohort. */
export interface NurtureMember {
  enrollmentId: string;
  leadId: string;
  /** The lead's time zone at enrollment, for `wait_until` steps. */
  leadTimeZone: string | null;
}

/**
 * A cohort of enrollments in one campaign, on one flow version, run by one workflow. A launch
 * puts up to `NURTURE_COHORT_SIZE` leads in each cohort, so that a step reached by many leads
 * at once is one activity for all of them; a lead added later runs in a cohort of its own.
 * Every lead still has its own state, path, timers and signals.
 */
export interface NurtureInput {
  campaignId: string;
  flowVersionId: string;
  /** Snapshot of the published flow version; an enrollment keeps the version it started on. */
  flow: FlowDefinition;
  /** The campaign's time zone, for `wait_until` steps. */
  campaignTimeZone: string;
  members: NurtureMember[];
  /** True when the campaign was paused as the cohort was started: actions hold until resume. */
  paused?: boolean;
  /** Present when the workflow continues as new: the state of every member still running, by enrollment id. */
  states?: Record<string, FlowState>;
  /** With `states`: the members waiting to try a step again, how often they tried and not before when. */
  retries?: Record<string, { attempts: number; at: number }>;
}

/** How one member's journey ended. */
export interface JourneyOutcome {
  enrollmentId: string;
  status: 'completed' | 'exited';
  reason: string;
  path: string[];
}

/** The journeys that ended in this run of the workflow (since its last continue-as-new). */
export interface NurtureResult {
  journeys: JourneyOutcome[];
}

/** Built-in event types; any touchpoint type may also be signalled. */
export type EngagementType = 'opened' | 'clicked' | 'converted' | 'unsubscribed';

/** Something the lead of one enrollment did: tracking, conversions and unsubscribes signal it. */
export interface EngagementSignal {
  enrollmentId: string;
  event: FlowEvent;
}

export interface ExitSignal {
  /** The enrollment to end; absent: every enrollment of the cohort. */
  enrollmentId?: string;
  reason: 'erased' | 'cancelled' | 'merged' | 'campaign_ended' | 'segment_entered' | 'segment_left';
}

export interface NurtureProgress {
  currentStepId: string | null;
  status: FlowState['status'];
  paused: boolean;
  /** What the lead waits on: an action, a time (`until`, ISO), or a lookup. */
  awaiting: { kind: string; stepId: string; until?: string } | null;
  path: FlowState['path'];
  events: FlowState['events'];
  endReason: string | null;
}

export const engagementSignal = defineSignal<[EngagementSignal]>('engagement');
export const exitSignal = defineSignal<[ExitSignal]>('exit');
/** Campaign pause: actions hold, timers keep counting. */
export const pauseSignal = defineSignal('pause');
/** Campaign resume: held actions, and steps that fell due meanwhile, run now. */
export const resumeSignal = defineSignal('resume');
/** One enrollment's progress (a journey that ended in this run of the workflow answers its end); null for an enrollment the workflow does not hold. */
export const progressQuery = defineQuery<NurtureProgress | null, [string]>('progress');
