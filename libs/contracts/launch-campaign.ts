export interface LaunchCampaignInput {
  campaignId: string;
}

export interface LaunchCampaignResult {
  campaignId: string;
  enrolled: number;
}

/** How many enrollments the launch activity creates and starts per round trip. */
export const ENROLLMENT_BATCH_SIZE = 500;
