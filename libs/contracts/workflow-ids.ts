/**
 * Workflow IDs are built from business keys so that starting the same thing twice
 * is refused by Temporal rather than checked in code.
 */
export const workflowIds = {
  /** The first enrollment keeps the plain id; re-enrollments add their sequence number. */
  nurture: (campaignId: string, leadId: string, sequence = 1) =>
    sequence === 1 ? `nurture:${campaignId}:${leadId}` : `nurture:${campaignId}:${leadId}:${sequence}`,
  campaign: (campaignId: string) => `campaign:${campaignId}`,
};
