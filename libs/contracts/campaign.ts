import { defineSignal } from '@temporalio/workflow';

/** One lifecycle workflow per campaign: scheduled start, enrollment, pause/resume/cancel, end date, segment exits. */
export interface CampaignLifecycleInput {
  campaignId: string;
  /** How often running enrollments are checked against the flow's segment exit rules. */
  segmentCheckIntervalMs: number;
  /** Present when the workflow continues as new. */
  launched?: boolean;
}

export interface CampaignLifecycleResult {
  campaignId: string;
  status: 'completed' | 'cancelled';
  enrolled: number;
}

/** What the API tells the lifecycle workflow after changing the campaign's row. */
export type CampaignCommand = 'pause' | 'resume' | 'cancel' | 'settings_changed';
export const campaignCommandSignal = defineSignal<[CampaignCommand]>('campaignCommand');

/** The campaign's clock and rules as the lifecycle workflow needs them. */
export interface CampaignClock {
  status: string;
  scheduledAt: number | null;
  endsAt: number | null;
  /** True when any flow version in use has segment exit rules. */
  hasSegmentExitRules: boolean;
}

export interface BroadcastInput {
  campaignId: string;
  signal: 'pause' | 'resume' | 'exit';
  /** For `exit`. */
  reason?: 'cancelled' | 'campaign_ended';
}

/** How many enrollments the launch activity creates and starts per round trip. */
export const ENROLLMENT_BATCH_SIZE = 500;
