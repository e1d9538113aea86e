import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runMigrations } from '@ce/db';
import { formatBanner } from './banner';
import { findTemporalCli } from './binaries';
import { startEmbeddedPostgres } from './embedded-postgres';
import { readLauncherSettings, type LauncherSettings } from './launcher-settings';
import { assertPortFree } from './ports';
import { Supervisor } from './supervisor';
import { startTemporalDevServer } from './temporal-dev-server';
import { loadOrCreateTrackingSecret } from './tracking-secret';
import { waitForHttpOk } from './wait-for-http';

// `npm start`: brings up PostgreSQL, Temporal, the API and the worker on one machine, with an
// embedded default for every service whose setting is not given. See docs (Embedded defaults).

const API_ENTRY = path.resolve(__dirname, '../../api/src/main.js');
const WORKER_ENTRY = path.resolve(__dirname, '../../worker/src/main.js');
const READY_TIMEOUT_MS = 90_000;

/** Start-up was stopped by a signal: not a failure. */
class Interrupted extends Error {}

const say = (message: string) => process.stderr.write(`[launcher] ${message}\n`);

function main(): void {
  let settings: LauncherSettings;
  try {
    settings = readLauncherSettings(process.env, process.cwd());
  } catch (error) {
    report(error, (process.env.LOG_LEVEL ?? '').toLowerCase() === 'debug');
    process.exit(1);
  }

  let phase: 'starting' | 'running' | 'stopping' = 'starting';
  const startup = new AbortController();
  const stopBecause = (reason: Error, exitCode: number) => {
    // While starting, start-up notices the abort and stops what it started.
    if (phase === 'starting') return startup.abort(reason);
    if (phase === 'stopping') return;
    phase = 'stopping';
    say(reason.message);
    void supervisor.stopAll().then(() => process.exit(exitCode));
  };
  const supervisor = new Supervisor({
    log: say,
    onUnexpectedExit: (name, code, signal) =>
      stopBecause(new Error(`The ${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; stopping everything.`), 1),
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (phase === 'stopping' || startup.signal.aborted) {
        say(`Received ${signal} again, stopping right now.`);
        supervisor.killAllNow();
        process.exit(1);
      }
      stopBecause(new Interrupted(`Received ${signal}, stopping…`), 0);
    });
  }
  process.on('uncaughtException', (error) => stopBecause(error, 1));
  process.on('unhandledRejection', (reason) => stopBecause(reason instanceof Error ? reason : new Error(String(reason)), 1));
  // Whatever happens, no child outlives the launcher.
  process.on('exit', () => supervisor.killAllNow('SIGTERM'));

  startEverything(settings, supervisor, startup.signal, (error) => stopBecause(error, 1)).then(
    (banner) => {
      phase = 'running';
      process.stdout.write(banner);
    },
    async (error: unknown) => {
      phase = 'stopping';
      // Ctrl-C reaches PostgreSQL and Temporal too, so their failure may surface before our own reason.
      const interrupted = startup.signal.reason instanceof Interrupted ? startup.signal.reason : null;
      if (interrupted) say(interrupted.message);
      else report(error, settings.debug);
      await supervisor.stopAll();
      process.exit(interrupted ? 0 : 1);
    },
  );
}

/** Starts everything in order and returns the banner; everything started is registered with the supervisor. */
async function startEverything(
  settings: LauncherSettings,
  supervisor: Supervisor,
  signal: AbortSignal,
  onServiceDied: (error: Error) => void,
): Promise<string> {
  for (const entry of [API_ENTRY, WORKER_ENTRY]) {
    if (!existsSync(entry)) throw new Error(`${path.relative(settings.rootDir, entry)} not found; build first (npm run build).`);
  }
  await assertPortFree(settings.apiPort, 'PORT'); // fail before starting anything; checked again before spawning
  await fs.mkdir(settings.dataDir, { recursive: true });

  const [databaseUrl, temporal] = await both(
    startDatabase(settings, supervisor),
    startTemporal(settings, supervisor, signal, onServiceDied),
  );
  signal.throwIfAborted();

  const trackingSecret =
    settings.trackingSecret ?? (await loadOrCreateTrackingSecret(path.join(settings.dataDir, 'tracking-secret')));
  if (settings.smtpUrl === null) await fs.mkdir(settings.outboxDir, { recursive: true });

  say('Running database migrations…');
  await runMigrations(databaseUrl);
  signal.throwIfAborted();

  await assertPortFree(settings.apiPort, 'PORT');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TRACKING_SECRET: trackingSecret,
    OUTBOX_DIR: settings.outboxDir,
    IMPORT_DIR: settings.importDir,
    PORT: String(settings.apiPort),
  };
  say('Starting the API and the worker…');
  supervisor.spawnNode('API', API_ENTRY, env);
  supervisor.spawnNode('worker', WORKER_ENTRY, env);
  await waitForHttpOk(`http://127.0.0.1:${settings.apiPort}/ready`, READY_TIMEOUT_MS, signal);

  return formatBanner({
    apiPort: settings.apiPort,
    temporalUiUrl: temporal.uiUrl,
    temporalAddress: temporal.address,
    temporalExternal: settings.temporalAddress !== null,
    smtpUrl: settings.smtpUrl,
    outboxDir: settings.outboxDir,
    databaseUrl,
    databaseEmbedded: settings.databaseUrl === null,
  });
}

async function startDatabase(settings: LauncherSettings, supervisor: Supervisor): Promise<string> {
  if (settings.databaseUrl !== null) return settings.databaseUrl;
  say(`Starting embedded PostgreSQL on port ${settings.embeddedPgPort}…`);
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(settings.dataDir, 'postgres'),
    port: settings.embeddedPgPort,
    database: 'campaign_engine',
    log: settings.debug ? (line) => say(`postgres: ${line}`) : undefined,
  });
  supervisor.addService('embedded PostgreSQL', postgres);
  return postgres.url;
}

async function startTemporal(
  settings: LauncherSettings,
  supervisor: Supervisor,
  signal: AbortSignal,
  onServiceDied: (error: Error) => void,
): Promise<{ address: string; uiUrl: string | null }> {
  if (settings.temporalAddress !== null) return { address: settings.temporalAddress, uiUrl: null };
  const cliPath = findTemporalCli();
  say(`Starting the Temporal dev server on port ${settings.temporalDevPort}${cliPath ? '' : ' (CLI not found, trying the SDK download)'}…`);
  const temporal = await startTemporalDevServer({
    cliPath,
    dbFile: path.join(settings.dataDir, 'temporal.sqlite'),
    port: settings.temporalDevPort,
    uiPort: settings.temporalUiPort,
    namespace: settings.temporalNamespace,
    log: settings.debug ? (line) => say(`temporal: ${line}`) : undefined,
    onExit: (code, exitSignal) =>
      onServiceDied(new Error(`The Temporal dev server stopped unexpectedly (${exitSignal ?? `exit code ${code}`}); stopping everything.`)),
    signal,
  });
  supervisor.addService('Temporal dev server', temporal);
  return temporal;
}

/** Like Promise.all, but waits for both, so nothing is still starting when we clean up after a failure. */
async function both<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

function report(error: unknown, debug: boolean): void {
  const message = error instanceof Error ? error.message : String(error);
  say(`Could not start: ${message}`);
  if (debug && error instanceof Error && error.stack) say(error.stack);
}

main();
