import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../apps/launcher/src/embedded-postgres';
import { findFreePort } from '../../apps/launcher/src/ports';

export type Stop = () => Promise<void>;

/**
 * A fresh, empty database for one test run: on TEST_DATABASE_URL's server when given, else on
 * an embedded PostgreSQL in a new temporary folder. Returns its URL; `stops` collects the
 * clean-up, to run in reverse order.
 */
export async function createTestDatabase(prefix: string, stops: Stop[]): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const parent = mkdtempSync(join(tmpdir(), 'ce-test-pg-'));
    // As root, PostgreSQL runs as its own user, which must be able to enter the folder.
    chmodSync(parent, 0o755);
    stops.push(async () => rmSync(parent, { recursive: true, force: true }));
    const pg = await startEmbeddedPostgres({ dataDir: join(parent, 'data'), port: await findFreePort(), database: 'postgres' });
    stops.push(() => pg.stop());
    serverUrl = pg.url;
  }
  await withClient(serverUrl, (client) => client.query(`create database ${name}`));
  const server = serverUrl;
  stops.push(() => withClient(server, (client) => client.query(`drop database if exists ${name} with (force)`)));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withClient(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
