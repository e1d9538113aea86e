import { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import { inPgTransaction, withPgClient } from '@ce/db';
import { NotFoundError } from '@ce/errors';

/**
 * Runs a report's statements on a connection of its own, in one read-only repeatable-read
 * snapshot, so that its checks (the campaign exists, every amount has a rate) hold for the
 * statement that follows them.
 */
export function inReportSnapshot<T>(em: EntityManager, work: (client: ClientBase) => Promise<T>): Promise<T> {
  return withPgClient(em, (client) => inPgTransaction(client, () => work(client), 'begin transaction isolation level repeatable read read only'));
}

/** A 404 when the campaign does not exist: a report of nobody would hide a wrong id. */
export async function requireCampaign(client: ClientBase, campaignId: string): Promise<void> {
  const found = await client.query('select 1 from campaigns where id = $1::uuid', [campaignId]);
  if (found.rowCount === 0) throw new NotFoundError('Campaign', campaignId);
}
