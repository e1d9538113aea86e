import { EntityManager } from '@mikro-orm/postgresql';
import { issueApiKey } from '@ce/auth';
import type { AppConfig } from '@ce/config';
import { runMigrations, type Role } from '@ce/db';
import { createRootLogger } from '@ce/logging';
import { createApiApp } from '../../apps/api/src/app.factory';
import { createCampaignWorker } from '../../apps/worker/src/worker.factory';
import { SmtpSink, SmtpSinkOptions, startSmtpSink } from './smtp-sink';
import { testConfig } from './test-env';

export interface TestStack {
  baseUrl: string;
  /** The SMTP server the worker sends to, when started with `smtp: true`. */
  smtp: SmtpSink | null;
  config: AppConfig;
  /** Makes an API key with the role, straight in the database. */
  /** A new API key with the role (a `sales` key may belong to a rep). */
  key(role: Role, salesRepId?: string): Promise<string>;
  /** A sales rep (made in the database) and a sales key that belongs to it. */
  salesRep(name: string): Promise<{ repId: string; key: string }>;
  /** Runs SQL on the test database, for setting up what no endpoint makes yet. */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Calls the API with a key; JSON in and out. */
  call(method: string, path: string, options?: { key?: string; body?: unknown }): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/**
 * The API listening on a free port and, unless `worker: false`, a worker on the same database
 * and Temporal server, both in this process; with `smtp: true` (or the sink's options), a real
 * SMTP server it sends to.
 */
export async function startStack(options: { smtp?: boolean | SmtpSinkOptions; worker?: boolean } = {}): Promise<TestStack> {
  const smtp = options.smtp ? await startSmtpSink(options.smtp === true ? {} : options.smtp) : null;
  const logger = createRootLogger('silent', 'test');
  const probe = testConfig();
  await runMigrations(probe.databaseUrl);
  // The API listens on a port chosen by the OS; tracking links must point at it, so the
  // public base URL is fixed after listening.
  const { app } = await createApiApp({ ...probe, smtpUrl: smtp?.url ?? null }, logger);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const config: AppConfig = { ...probe, smtpUrl: smtp?.url ?? null, publicBaseUrl: baseUrl };
  // Tracking URLs are built by the worker; the API reads only the secret, which is the same.
  const worker = options.worker === false ? null : await createCampaignWorker(config, logger);
  const running = worker?.run();
  const em = app.get(EntityManager);

  return {
    baseUrl,
    smtp,
    config,
    sql: (query, params = []) => em.fork().getConnection().execute(query, params) as never,
    async key(role, salesRepId) {
      return (await issueApiKey(em.fork(), `test ${role}`, role, salesRepId ?? null)).key;
    },
    async salesRep(name) {
      const [row] = await em.fork().execute<{ id: string }[]>(
        `insert into sales_reps (id, name, email) values (gen_random_uuid(), ?, ?) returning id`,
        [name, `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}-${Date.now()}@sales.example`],
      );
      return { repId: row.id, key: (await issueApiKey(em.fork(), `test sales ${name}`, 'sales', row.id)).key };
    },
    async call(method, path, { key, body } = {}) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async stop() {
      if (worker) {
        worker.shutdown();
        await running;
        await worker.close();
      }
      await app.close();
      await smtp?.close();
    },
  };
}

/** Polls until `check` returns a value that is not undefined, or fails after the timeout. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
