import { runMigrations } from '@ce/db';
import { Stop, withClient } from './test-database';
// Kept apart from test-database.ts, which the global set-up loads: the ORM must only ever be
// loaded inside the tests' own module scope.

/**
 * Another fresh, migrated database on the server of the run's test database, for a suite that
 * must not share data with the others (attributes it declares, say). Drop it in afterAll.
 */
export async function createSiblingDatabase(sharedUrl: string, prefix: string): Promise<{ url: string; drop: Stop }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  await withClient(sharedUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(sharedUrl);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  return { url: url.toString(), drop: () => withClient(sharedUrl, (client) => client.query(`drop database if exists ${name} with (force)`)) };
}
