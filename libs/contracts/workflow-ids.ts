/**
 * Workflow IDs are built from business keys so that starting the same thing twice
 * is refused by Temporal rather than checked in code.
 */
export const workflowIds = {
  nurture: (campaignId: string, leadId: string) => `nurture:${campaignId}:${leadId}`,
  launchCampaign: (campaignId: string) => `launch-campaign:${campaignId}`,
};
