import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ACTION_FAILURES } from '@ce/contracts';


/**
 * Every action checks its campaign first. The database is the truth: a workflow that missed the
 * pause signal still holds its step, and one that missed a cancel still ends.
 */
export async function assertCampaignActive(em: EntityManager, campaignId: string): Promise<void> {
  const rows = await em.getConnection().execute<{ status: string }[]>('select status from campaigns where id = ?', [campaignId]);
  const status = rows[0]?.status;
  if (status === 'paused') throw ApplicationFailure.nonRetryable('The campaign is paused', ACTION_FAILURES.campaignPaused);
  if (status === undefined || status === 'cancelled' || status === 'completed')
    throw ApplicationFailure.nonRetryable(`The campaign is ${status ?? 'gone'}`, ACTION_FAILURES.campaignEnded);
}
