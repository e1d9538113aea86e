import { ApplicationFailure } from '@temporalio/activity';
import type { ActionInput, ActionResult } from '@ce/contracts';
import { LeadEvent, LeadScoreAdjustment } from '@ce/db';
import { assertCampaignActive } from '../campaign-guard';
import type { ActivityDeps } from '../deps';
import { runStepOnce } from '../step-ledger';
import type { AdjustScoreSettings } from './adjust-score.step';

/** What the step needs from the worker's dependencies. */
export type AdjustScoreDeps = Pick<ActivityDeps, 'orm' | 'logger'>;

export const createAdjustScoreActivities = ({ orm, logger }: AdjustScoreDeps) => ({
  /**
   * Adds the step's points to the lead's score once per (enrollment, step). The score changes
   * in one UPDATE (no read-then-write race with other steps or scoring rules), in the same
   * transaction as its timeline event and the ledger row.
   */
  async adjustScore(input: ActionInput): Promise<ActionResult> {
    const em = orm.em.fork();
    await assertCampaignActive(em, input.campaignId);
    const { points, reason } = input.step as unknown as AdjustScoreSettings;

    const result = await runStepOnce(em, input, async (tx) => {
      const rows = await tx.execute<{ score: number }[]>(
        'update leads set score = score + ?, updated_at = now() where id = ? returning score',
        [points, input.leadId],
      );
      if (!rows[0]) throw ApplicationFailure.nonRetryable('The lead no longer exists', 'LeadMissing');
      const to = rows[0].score;
      const from = to - points;
      // Kept apart too, so that the scoring model counts them whenever it works the score out again.
      tx.create(LeadScoreAdjustment, { lead: input.leadId, points, reason: reason ?? null, source: 'flow', campaignId: input.campaignId, stepId: input.stepId });
      tx.create(LeadEvent, {
        lead: input.leadId,
        type: 'score_changed',
        occurredAt: new Date(),
        data: { from, to, points, reason: reason ?? null, source: 'flow', campaignId: input.campaignId, stepId: input.stepId },
      });
      return { outcome: 'adjusted', from, to };
    });
    logger.info({ msg: 'score adjusted by flow', outcome: result.outcome, leadId: input.leadId, campaignId: input.campaignId, stepId: input.stepId });
    return result;
  },
});
