import { proxyActivities } from '@temporalio/workflow';
import type { LaunchCampaignInput, LaunchCampaignResult } from '@ce/contracts';
import type { Activities } from '@activities/index';

/**
 * Enrolling a large audience takes a while; the activity heartbeats its cursor, so after a
 * worker crash the retry resumes where the last batch ended.
 */
const enrollment = proxyActivities<Activities>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

export async function launchCampaign(input: LaunchCampaignInput): Promise<LaunchCampaignResult> {
  const { enrolled } = await enrollment.enrollAudience({ campaignId: input.campaignId });
  await enrollment.markCampaignRunning({ campaignId: input.campaignId });
  return { campaignId: input.campaignId, enrolled };
}
