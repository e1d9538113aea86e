/**
 * Email delivery throughput. 5,000 subscribed leads (`--messages N`) get a one-step campaign
 * (one send_email) through the whole engine, then the same messages go out again through
 * nodemailer alone, both into the same local SMTP sink with the same SMTP pool size:
 *
 *   engine:   the API (in this process) launches the campaign — audience snapshot, enrollments,
 *             nurture workflows of `NURTURE_COHORT_SIZE` leads — and a worker process, started
 *             as `npm run start:worker` starts it, runs the `sendEmails` batches on its email
 *             queue: consent check, template rendering, the send ledger and its hand-over
 *             protocol, over pooled SMTP;
 *   baseline: a process of its own sending the very bytes the sink received from the engine
 *             (rendered, tracked, with their headers) through nodemailer's pooled transport,
 *             all queued at once in a loop.
 * Both senders are processes of their own, so each shares the machine with the sink (in this
 * process) in the same way.
 *
 * In between, for the record of where the time goes, the `sendEmails` activity alone sends to
 * the same leads again (a new step, so new ledger rows), called directly in batches of the
 * cohort size, as many at once as the email worker runs: the send path's own cost, without
 * Temporal (in this process, beside the sink).
 *
 * Each rate is messages per second from the first message's arrival at the sink to the last's.
 * Prints both, their ratio (target ≥ 0.8), then one JSON line. Run `npm run build` first if
 * calling the compiled file directly: the worker and the baseline run from `dist/`.
 *
 *   npm run bench:email [-- --messages 20000 --pool 5 --cohort 500 --keep]
 *
 * `--keep` leaves the scratch database in place (for a look at the ledger) and prints its URL.
 * Temporal: TEMPORAL_ADDRESS if set, else an in-memory `temporal server start-dev` (the CLI is
 * found as the launcher finds it). PostgreSQL: a scratch database on BENCH_DATABASE_URL's server
 * (default postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards. The overall send
 * rate limit is lifted (EMAIL_RATE_PER_SECOND) so that the engine's own speed is measured.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntityManager } from '@mikro-orm/postgresql';
import { issueApiKey } from '@ce/auth';
import { AppConfig, loadConfig } from '@ce/config';
import { createRootLogger } from '@ce/logging';
import { createApiApp } from '../apps/api/src/app.factory';
import { findTemporalCli } from '../apps/launcher/src/binaries';
import { findFreePort } from '../apps/launcher/src/ports';
import { startTemporalDevServer, TemporalDevServer } from '../apps/launcher/src/temporal-dev-server';
import { BenchDatabase, createBenchDatabase, numberOption } from './support/bench-db';
import { startNodeChild } from './support/child-process';
import { sendDirectly } from './support/send-directly';
import { CountedMessage, SmtpCounter, startSmtpCounter } from './support/smtp-counter';

const log = (line: string) => console.log(`[email] ${line}`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const count = numberOption('messages', 20_000);
  const pool = numberOption('pool', 5);
  const cohort = numberOption('cohort', 500);
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const temporalAddress = process.env.TEMPORAL_ADDRESS ?? (await startTemporal(cleanups)).address;
    const database = await createBenchDatabase('ce_bench_email');
    if (process.argv.includes('--keep')) cleanups.push(() => database.client.end().then(() => log(`kept database: ${database.url}`)));
    else cleanups.push(() => database.drop());
    const sink = await startSmtpCounter();
    cleanups.push(() => sink.close());
    const config = loadConfig({
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporalAddress,
      TRACKING_SECRET: randomBytes(32).toString('hex'),
      SMTP_URL: sink.url,
      SMTP_POOL_SIZE: String(pool),
      EMAIL_RATE_PER_SECOND: '1000000',
      NURTURE_COHORT_SIZE: String(cohort),
      LOG_LEVEL: 'warn',
    });

    await seedLeads(database, count);
    const engine = await runEngine(config, sink, count);
    const messages = [...sink.messages];
    sink.reset();
    log(`sending to the same ${count} leads with the sendEmail activity alone`);
    await sendDirectly(config, createRootLogger('warn', 'bench'), engine.campaignId);
    const activityRate = sink.rate();
    sink.reset();
    const baseline = await runNodemailer(config, sink, messages, pool);

    const result = {
      benchmark: 'email-delivery',
      messages: count,
      smtpPoolSize: pool,
      cohortSize: cohort,
      engineSeconds: round(engine.seconds, 2),
      enginePerSecond: round(engine.rate),
      sendActivityAlonePerSecond: round(activityRate),
      nodemailerSeconds: round(baseline.seconds, 2),
      nodemailerPerSecond: round(baseline.rate),
      ratio: round(engine.rate / baseline.rate, 3),
      target: 0.8,
    };
    log(`engine:     ${count} messages in ${result.engineSeconds} s — ${result.enginePerSecond} messages/s (launch → workflows → email worker → SMTP)`);
    log(`activity:   ${result.sendActivityAlonePerSecond} messages/s (sendEmail called directly, no Temporal; for the record)`);
    log(`nodemailer: ${count} messages in ${result.nodemailerSeconds} s — ${result.nodemailerPerSecond} messages/s (same bytes, same pool, same sink)`);
    log(`ratio engine / nodemailer: ${result.ratio} (target ≥ 0.8)`);
    console.log(JSON.stringify(result));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: Error) => log(`cleanup: ${error.message}`));
  }
}

async function startTemporal(cleanups: (() => Promise<unknown>)[]): Promise<TemporalDevServer> {
  const cliPath = findTemporalCli();
  log('starting an in-memory Temporal dev server');
  const server = await startTemporalDevServer({ cliPath, port: await findFreePort(), uiPort: null });
  cleanups.push(() => server.stop());
  return server;
}

/** Subscribed leads with a first name, made inside PostgreSQL. */
async function seedLeads(database: BenchDatabase, count: number): Promise<void> {
  await database.client.query(
    `insert into leads (id, email, first_name, attributes, lifecycle_stage, score, created_at, updated_at)
     select gen_random_uuid(), 'reader' || g || '@bench.example', 'Reader' || g, '{}'::jsonb, 'subscriber', 0, now(), now()
     from generate_series(1, $1::int) g`,
    [count],
  );
  await database.client.query(
    `insert into lead_consents (id, lead_id, channel, status, changed_at, source)
     select gen_random_uuid(), id, 'email', 'subscribed', now(), 'bench' from leads`,
  );
}

const DIST = join(__dirname, '..');
const WORKER_MAIN = join(DIST, 'apps', 'worker', 'src', 'main.js');
const NODEMAILER_LOOP = join(DIST, 'bench', 'support', 'nodemailer-loop.js');

/** Launches the campaign through the API, with a worker process, and measures the sink until every message is in. */
async function runEngine(config: AppConfig, sink: SmtpCounter, count: number): Promise<{ rate: number; seconds: number; campaignId: string }> {
  const logger = createRootLogger('warn', 'bench');
  const { app } = await createApiApp(config, logger);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  // BENCH_WORKER_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, shows where the worker's time goes.
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const worker = startNodeChild(WORKER_MAIN, [], {
    DATABASE_URL: config.databaseUrl,
    TEMPORAL_ADDRESS: config.temporal.address,
    TRACKING_SECRET: config.trackingSecret,
    PUBLIC_BASE_URL: baseUrl,
    SMTP_URL: config.smtpUrl ?? undefined,
    SMTP_POOL_SIZE: String(config.smtpPoolSize),
    EMAIL_RATE_PER_SECOND: String(config.emailRatePerSecond),
    NURTURE_COHORT_SIZE: String(config.nurtureCohortSize),
    LOG_LEVEL: 'warn',
  }, nodeArgs);
  try {
    const key = (await issueApiKey(app.get(EntityManager).fork(), 'bench', 'marketer')).key;
    const call = async (path: string, body?: unknown) => {
      const response = await fetch(baseUrl + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const parsed = (await response.json()) as { id: string };
      if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(parsed)}`);
      return parsed;
    };
    const leadIds = (await app.get(EntityManager).fork().getConnection().execute<{ id: string }[]>('select id from leads')).map((r) => r.id);
    const template = await call('/v1/templates', {
      name: 'Bench',
      subject: 'News for {{lead.firstName}}',
      html: '<html><body><h1>Hello {{lead.firstName}}</h1><p>Our <a href="https://example.com/spring">spring offer</a> is here, and the <a href="https://example.com/guide">guide</a> too.</p></body></html>',
    });
    const flow = await call('/v1/flows', { name: 'Bench', definition: { entry: 'hello', steps: { hello: { type: 'send_email', templateId: template.id } } } });
    const campaign = await call('/v1/campaigns', { name: 'Bench', flowId: flow.id, channel: 'email', audience: { leadIds } });

    log(`launching a campaign to ${count} leads (cohorts of ${config.nurtureCohortSize})`);
    await call(`/v1/campaigns/${campaign.id}/launch`);
    await Promise.race([
      sink.waitFor(count, 30 * 60_000),
      worker.exited.then((code) => {
        throw new Error(`the worker process stopped (exit code ${code}):\n${worker.lastOutput()}`);
      }),
    ]);
    const rate = sink.rate();
    // Nothing more may arrive: a second message to anyone would show here.
    await new Promise((r) => setTimeout(r, 2_000));
    if (sink.messages.length !== count) throw new Error(`the engine sent ${sink.messages.length} messages to ${count} leads`);
    return { rate, seconds: (count - 1) / rate, campaignId: campaign.id };
  } finally {
    await worker.stop();
    await app.close();
  }
}

/** The same messages, sent by nodemailer's pooled transport in a process of its own, without anything around it. */
async function runNodemailer(config: AppConfig, sink: SmtpCounter, messages: CountedMessage[], pool: number): Promise<{ rate: number; seconds: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'ce-bench-email-'));
  try {
    const file = join(dir, 'messages.jsonl');
    await writeFile(file, messages.map((m) => JSON.stringify({ from: m.from, to: m.to, raw: m.raw.toString('base64') })).join('\n'));
    log(`sending the same ${messages.length} messages with nodemailer`);
    const loop = startNodeChild(NODEMAILER_LOOP, [file, config.smtpUrl!, String(pool)], {});
    const code = await loop.exited;
    if (code !== 0) throw new Error(`the nodemailer loop failed (exit code ${code}):\n${loop.lastOutput()}`);
    await sink.waitFor(messages.length, 60_000);
    const rate = sink.rate();
    return { rate, seconds: (messages.length - 1) / rate };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exitCode = 1;
});
