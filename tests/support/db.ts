import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig, runMigrations } from '@ce/db';
import { E2E_ENV } from './e2e-env';

/** The migrated test database, as an ORM for integration tests. Close it in afterAll. */
export async function openTestDatabase(): Promise<MikroORM> {
  const databaseUrl = process.env[E2E_ENV.databaseUrl];
  if (!databaseUrl) throw new Error('The test global set-up did not run');
  await runMigrations(databaseUrl);
  return MikroORM.init(createOrmConfig({ databaseUrl, poolSize: 5 }));
}
