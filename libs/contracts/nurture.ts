import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { FlowDefinition, FlowState } from '@ce/flows';

export interface NurtureInput {
  campaignId: string;
  enrollmentId: string;
  leadId: string;
  flowVersionId: string;
  /** Snapshot of the published flow version; an enrollment keeps the version it started on. */
  flow: FlowDefinition;
  /** Present when the workflow continues as new. */
  state?: FlowState;
}

export interface NurtureResult {
  enrollmentId: string;
  reason: string;
  path: string[];
}

export type EngagementType = 'opened' | 'clicked';

export interface EngagementSignal {
  type: EngagementType;
  /** The step whose message was engaged with. */
  stepId: string;
  occurredAt: string;
  url?: string;
}

export interface ExitSignal {
  reason: 'converted' | 'unsubscribed' | 'erased' | 'cancelled' | 'merged';
}

export interface NurtureProgress {
  currentStepId: string | null;
  status: FlowState['status'];
  path: FlowState['path'];
}

export const engagementSignal = defineSignal<[EngagementSignal]>('engagement');
export const exitSignal = defineSignal<[ExitSignal]>('exit');
export const progressQuery = defineQuery<NurtureProgress>('progress');
