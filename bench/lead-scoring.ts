/**
 * Lead scoring at scale (issue 6). Generates 1,000,000 leads and 3,000,000 touchpoints (or
 * `--leads N --touchpoints M`), saves a scoring model of eight rules (fit on attributes and
 * fields, behaviour with decay and caps, an unsubscribe and an inactivity rule), then measures,
 * with the production code:
 *
 * 1. **Full recompute:** every lead scored again in pages of 1,000 (`rescorePageAfter`, what the
 *    `recomputeScores` workflow runs page after page), against the same run's baseline: leads
 *    scored one per transaction, for the first `--baseline` leads.
 * 2. **A stream of events:** `--events` touchpoints for random leads, ingested in batches of
 *    1,000 (as `POST /v1/touchpoints` writes them) while the score updater drains the score
 *    queue (`drainScoreQueueOnce`, batches of 500) at the same time; the figure is events per
 *    second from the first batch to the queue empty. Baseline: the same drain taking one lead
 *    per transaction, for `--baseline` events.
 *
 *   npm run bench:scoring [-- --leads 1000000 --touchpoints 3000000 --events 100000 --baseline 2000]
 *   BENCH_DATABASE_URL=postgres://…/postgres picks the server (default: the local one).
 *   --keep leaves the generated database in place and prints its URL; --database URL reuses it.
 *
 * Prints each figure with its baseline and their ratio, then one JSON line.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createOrmConfig } from '@ce/db';
import { rescorePageAfter } from '../activities/scoring/scoring.activities';
import { drainScoreQueueOnce, SCORE_BATCH } from '../activities/scoring/score-updater';
import { createBenchDatabase, numberOption, textOption } from './support/bench-db';
import { generateAudience } from './support/generate-audience';

const FIRST = '00000000-0000-0000-0000-000000000000';
const PAGE = 1_000;
const INGEST_BATCH = 1_000;

const MODEL = {
  rules: [
    { id: 'pro-plan', kind: 'fit', name: 'Pro or enterprise plan', points: 15, when: { attribute: 'plan', op: 'in', value: ['pro', 'enterprise'] } },
    { id: 'big-team', kind: 'fit', name: '100 seats or more', points: 10, when: { attribute: 'seats', op: 'gte', value: 100 } },
    { id: 'target-country', kind: 'fit', name: 'In a target country', points: 5, when: { field: 'country', op: 'in', value: ['DE', 'GB'] } },
    { id: 'clicks', kind: 'behaviour', name: 'Clicked an email', points: 4, event: { type: ['click'], channel: ['email'] }, cap: 20, halfLifeDays: 14, lookbackDays: 180 },
    { id: 'visits', kind: 'behaviour', name: 'Visited the site', points: 2, event: { type: ['visit'] }, cap: 16, halfLifeDays: 7, lookbackDays: 90 },
    { id: 'forms', kind: 'behaviour', name: 'Filled in a form', points: 10, event: { type: ['form_submit'] }, cap: 30, halfLifeDays: 30, lookbackDays: 365 },
    { id: 'unsubscribed', kind: 'negative', name: 'Unsubscribed', points: -25, when: { consent: 'email', status: 'unsubscribed' }, inactiveDays: null },
    { id: 'quiet', kind: 'negative', name: 'Quiet for 60 days', points: -10, when: null, inactiveDays: 60 },
  ],
  thresholds: { lead: 20, mql: 60 },
};

const log = (line: string) => console.log(`[scoring] ${line}`);

async function main(): Promise<void> {
  const leads = numberOption('leads', 1_000_000);
  const touchpoints = numberOption('touchpoints', 3_000_000);
  const events = numberOption('events', 100_000);
  const baseline = numberOption('baseline', 2_000);
  const reuse = textOption('database');
  const keep = process.argv.includes('--keep');

  const bench = reuse ? null : await createBenchDatabase('ce_bench_scoring');
  const url = bench?.url ?? reuse!;
  const client = bench?.client ?? new Client({ connectionString: url });
  if (!bench) await client.connect();
  const orm = await MikroORM.init(createOrmConfig({ databaseUrl: url, poolSize: 4 }));
  try {
    if (bench) {
      const started = Date.now();
      await generateAudience(client, { leads, touchpoints }, log);
      log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    // Lead numbers to pick random leads by (made by the generation on this connection, or now).
    await client.query('create temp table if not exists lead_numbers as select row_number() over () as n, id from leads');
    await client.query('create unique index if not exists lead_numbers_n on lead_numbers (n)');
    await client.query('delete from scoring_models');
    await client.query('insert into scoring_models (version, model) values (1, $1::jsonb)', [JSON.stringify(MODEL)]);
    const [{ count }] = (await client.query<{ count: number }>('select count(*)::int as count from leads')).rows;
    log(`${count} leads; model of ${MODEL.rules.length} rules saved`);

    // Baseline first, on the first leads: one lead per transaction.
    const one = await timed(async () => {
      let cursor = FIRST;
      for (let i = 0; i < baseline; i++) cursor = (await rescorePageAfter(orm, cursor, 1))!.last;
    });
    const oneRate = baseline / one;
    log(`recompute one lead per transaction: ${baseline} leads in ${one.toFixed(1)} s (${Math.round(oneRate)} a second)`);

    let scored = 0;
    let moved = 0;
    const full = await timed(async () => {
      for (let cursor = FIRST; ; ) {
        const page = await rescorePageAfter(orm, cursor, PAGE);
        if (!page) break;
        scored += page.outcome.scored;
        moved += page.outcome.moved.length;
        cursor = page.last;
        if (scored % 100_000 === 0) log(`  ${scored} leads`);
      }
    });
    const fullRate = scored / full;
    log(`full recompute: ${scored} leads in ${full.toFixed(1)} s (${Math.round(fullRate)} a second, ${(fullRate / oneRate).toFixed(1)}× one at a time); ${moved} moved up the lifecycle`);
    await client.query('delete from score_queue');
    await client.query('vacuum analyze leads');
    await client.query('vacuum analyze lead_scores');

    const stream = await eventStream(orm, client, count, events, SCORE_BATCH);
    log(`events: ${events} touchpoints in batches of ${INGEST_BATCH}, scored as they came in ${stream.seconds.toFixed(1)} s: ${Math.round(stream.rate)} events a second (${stream.leads} leads scored)`);
    const single = await eventStream(orm, client, count, baseline, 1);
    log(`events, one lead per transaction: ${baseline} in ${single.seconds.toFixed(1)} s: ${Math.round(single.rate)} events a second`);
    log(`stream ${(stream.rate / single.rate).toFixed(1)}× one at a time`);

    console.log(
      JSON.stringify({
        benchmark: 'lead-scoring',
        leads: count,
        touchpoints,
        rules: MODEL.rules.length,
        recompute: { seconds: round(full), leadsPerSecond: Math.round(fullRate), baselineLeadsPerSecond: Math.round(oneRate), ratio: round(fullRate / oneRate), moved },
        events: { events, seconds: round(stream.seconds), eventsPerSecond: Math.round(stream.rate), baselineEventsPerSecond: Math.round(single.rate), ratio: round(stream.rate / single.rate) },
      }),
    );
    if (keep && bench) log(`kept database: ${url}`);
  } finally {
    await orm.close(true);
    if (bench && !keep) await bench.drop();
    else if (bench) await bench.client.end();
    else await client.end();
  }
}

/**
 * Ingests `events` touchpoints (random leads, types and channels, now) in batches of 1,000 on one
 * connection while the queue is drained `limit` leads per transaction on another, and gives the
 * time from the first batch until the queue is empty.
 */
async function eventStream(orm: MikroORM, client: Client, leads: number, events: number, limit: number): Promise<{ seconds: number; rate: number; leads: number }> {
  let ingested = false;
  let drained = 0;
  const started = performance.now();
  const ingest = (async () => {
    for (let done = 0; done < events; done += INGEST_BATCH) {
      await client.query(
        `with picked as materialized (select 1 + floor(random() * $2::int)::int as k from generate_series(1, $1::int))
         insert into touchpoints (id, lead_id, channel, type, occurred_at, properties)
         select gen_random_uuid(), n.id, (array['email','web','paid_search','social'])[1 + floor(random() * 4)::int],
                (array['open','click','visit','ad_click','form_submit'])[1 + floor(random() * 5)::int], now(), '{}'::jsonb
           from picked p join lead_numbers n on n.n = p.k`,
        [Math.min(INGEST_BATCH, events - done), leads],
      );
    }
    ingested = true;
  })();
  const drain = (async () => {
    for (;;) {
      const outcome = await drainScoreQueueOnce(orm, limit);
      drained += outcome.scored;
      if (outcome.scored === 0 && ingested) return;
      if (outcome.scored === 0) await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await Promise.all([ingest, drain]);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, rate: events / seconds, leads: drained };
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
