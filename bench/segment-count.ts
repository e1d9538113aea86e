/**
 * Segment count at scale (issue: audience). Generates 1,000,000 leads and 10,000,000
 * touchpoints (or `--leads N --touchpoints M`), then counts a three-condition segment — a custom
 * attribute, a score threshold, and "clicked an email in the last 30 days" — compiled by the
 * segment DSL, and, as the same-run baseline, the same question written by hand in SQL.
 *
 *   npm run bench:segments [-- --leads 1000000 --touchpoints 10000000 --runs 7]
 *   BENCH_DATABASE_URL=postgres://…/postgres picks the server (default: the local one).
 *   --keep leaves the generated database in place and prints its URL; --database URL reuses it.
 *
 * Prints each median and their ratio, then one JSON line. Target: compiled median ≤ 1 s.
 */
import { Client } from 'pg';
import { AttributeSpec, compileSegment, segmentCountSql } from '@ce/segments';
import { createBenchDatabase, median, numberOption, timeRuns } from './support/bench-db';
import { generateAudience } from './support/generate-audience';

const SEGMENT = {
  all: [
    { attribute: 'plan', op: 'eq', value: 'pro' },
    { field: 'score', op: 'gte', value: 50 },
    { did: { type: 'click', channel: 'email', within: '30d' } },
  ],
};

const HAND_WRITTEN = `
  select count(*)::int as count from leads l
  where l.attributes @> '{"plan":"pro"}'::jsonb and l.score >= 50
    and exists (select 1 from touchpoints t where t.lead_id = l.id and t.type = 'click' and t.channel = 'email'
                and t.occurred_at >= now() - interval '30 days')`;

async function main(): Promise<void> {
  const leads = numberOption('leads', 1_000_000);
  const touchpoints = numberOption('touchpoints', 10_000_000);
  const runs = numberOption('runs', 7);
  const reuse = argument('database');
  const keep = process.argv.includes('--keep');
  const log = (line: string) => console.log(`[segments] ${line}`);

  const bench = reuse ? null : await createBenchDatabase('ce_bench_segments');
  const client = bench?.client ?? new Client({ connectionString: reuse! });
  if (!bench) await client.connect();
  try {
    if (bench) {
      const started = Date.now();
      await generateAudience(client, { leads, touchpoints }, log);
      log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const attributes = new Map<string, AttributeSpec>(
      (await client.query<{ name: string; type: AttributeSpec['type']; options: string[] | null }>('select name, type, options from attribute_definitions')).rows.map(
        (r) => [r.name, { type: r.type, options: r.options } as AttributeSpec],
      ),
    );
    const compiled = segmentCountSql(compileSegment(SEGMENT, { attributes, now: new Date(), segments: () => undefined }));
    const text = toPositional(compiled.sql);

    const [engine] = (await client.query<{ count: number }>(text, compiled.params)).rows;
    const [baseline] = (await client.query<{ count: number }>(HAND_WRITTEN)).rows;
    if (engine.count !== baseline.count) throw new Error(`counts differ: compiled ${engine.count}, hand-written ${baseline.count}`);

    const engineTimes = await timeRuns(runs, () => client.query(text, compiled.params));
    const baselineTimes = await timeRuns(runs, () => client.query(HAND_WRITTEN));
    const result = {
      benchmark: 'segment-count',
      leads: (await client.query('select count(*)::int as n from leads')).rows[0].n as number,
      touchpoints: (await client.query('select count(*)::int as n from touchpoints')).rows[0].n as number,
      members: engine.count,
      runs,
      compiledMedianMs: round(median(engineTimes)),
      handWrittenMedianMs: round(median(baselineTimes)),
      ratio: round(median(engineTimes) / median(baselineTimes)),
      targetMs: 1000,
    };
    log(`members: ${result.members} of ${result.leads} leads, ${result.touchpoints} touchpoints`);
    log(`compiled segment:  median ${result.compiledMedianMs} ms over ${runs} runs (target ≤ 1000 ms)`);
    log(`hand-written SQL:  median ${result.handWrittenMedianMs} ms (same-run baseline)`);
    log(`ratio compiled / hand-written: ${result.ratio}`);
    console.log(JSON.stringify(result));
    if (keep && bench) log(`kept database: ${bench.url}`);
  } finally {
    if (bench && !keep) await bench.drop();
    else if (bench) await bench.client.end();
    else await client.end();
  }
}

/** knex-style `?` placeholders → pg's `$n`. The compiled SQL has no other question marks. */
function toPositional(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
