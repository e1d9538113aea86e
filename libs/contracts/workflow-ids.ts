/**
 * Workflow IDs are built from business keys so that starting the same thing twice
 * is refused by Temporal rather than checked in code.
 */
export const workflowIds = {
  /** A lead added on its own runs in a cohort of one: the first enrollment keeps the plain id; re-enrollments add their sequence number. */
  nurture: (campaignId: string, leadId: string, sequence = 1) =>
    sequence === 1 ? `nurture:${campaignId}:${leadId}` : `nurture:${campaignId}:${leadId}:${sequence}`,
  /**
   * A launch's cohorts: `<prefix><n>`, numbered within one batch of enrollments. The token is new
   * for every batch, so leads enrolled later never join a cohort that has already started.
   */
  cohortPrefix: (campaignId: string, token: string) => `nurture:${campaignId}:cohort:${token}:`,
  campaign: (campaignId: string) => `campaign:${campaignId}`,
  /** One per conversion: its attribution, run again on every `reattribute` signal. */
  attribution: (conversionId: string) => `attribution:${conversionId}`,
  /** At most one refresh of the data-driven models at a time. */
  attributionRefresh: 'attribution-refresh',
  /** The Temporal Schedule that runs the refresh every day. */
  attributionRefreshSchedule: 'attribution-refresh-daily',
  /** At most one recompute of every lead's score at a time. */
  scoreRecompute: 'score-recompute',
  /** The Temporal Schedule that recomputes every score every day (decay). */
  scoreRecomputeSchedule: 'score-recompute-daily',
  /** One per move to MQL: the hand-off of the lead to an owner, exactly once. */
  handoff: (handoffId: string) => `handoff:${handoffId}`,
  /** At most one training of the predictive score at a time. */
  predictiveTraining: 'predictive-training',
  /** The Temporal Schedule that trains the predictive score every week. */
  predictiveTrainingSchedule: 'predictive-training-weekly',
};
