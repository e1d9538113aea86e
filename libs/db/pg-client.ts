import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';

/**
 * Lends a raw `pg` client from the ORM's pool, for what the ORM does not do (COPY, streaming
 * cursors, explicit transactions over many statements). It goes back to the pool afterwards.
 */
export async function withPgClient<T>(em: EntityManager, work: (client: ClientBase) => Promise<T>): Promise<T> {
  const knexClient = em.getConnection().getKnex().client as {
    acquireConnection(): Promise<ClientBase>;
    releaseConnection(connection: ClientBase): Promise<void>;
  };
  const client = await knexClient.acquireConnection();
  try {
    return await work(client);
  } finally {
    await knexClient.releaseConnection(client);
  }
}

/**
 * Runs `work` in one transaction on a raw client, begun with `begin` (e.g. a read-only snapshot):
 * committed when it returns, rolled back when it throws.
 */
export async function inPgTransaction<T>(client: ClientBase, work: () => Promise<T>, begin = 'begin'): Promise<T> {
  await client.query(begin);
  try {
    const result = await work();
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}
