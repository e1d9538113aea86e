import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { FlowDefinition, FlowEvent, FlowState } from '@ce/flows';

export interface NurtureInput {
  campaignId: string;
  enrollmentId: string;
  leadId: string;
  flowVersionId: string;
  /** Snapshot of the published flow version; an enrollment keeps the version it started on. */
  flow: FlowDefinition;
  /** The lead's and the campaign's time zones at enrollment, for `wait_until` steps. */
  timeZones?: FlowState['timeZones'];
  /** True when the campaign was paused as the lead was enrolled: actions hold until resume. */
  paused?: boolean;
  /** Present when the workflow continues as new. */
  state?: FlowState;
}

export interface NurtureResult {
  enrollmentId: string;
  status: 'completed' | 'exited';
  reason: string;
  path: string[];
}

/** Built-in event types; any touchpoint type may also be signalled. */
export type EngagementType = 'opened' | 'clicked' | 'converted' | 'unsubscribed';

/** Something the lead did: tracking, conversions and unsubscribes signal it to running journeys. */
export type EngagementSignal = FlowEvent;

export interface ExitSignal {
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
export const progressQuery = defineQuery<NurtureProgress>('progress');
