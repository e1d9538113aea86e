/**
 * The ROI report at scale (issue 5): ROI by channel under one model and under several side by
 * side, over 1,000,000 conversions and 10,000,000 credits (or `--conversions N --credits M`),
 * served from the roll-ups by the production code (`RoiReportService.report`, rate check and
 * all), against the same run's baseline: the same answer computed from the raw credits in one
 * statement. Both answers must be equal, figure for figure, or the script exits non-zero.
 *
 *   npm run bench:roi [-- --conversions 1000000 --credits 10000000 --runs 15 --currency USD]
 *   BENCH_DATABASE_URL=postgres://…/postgres picks the server (default: the local one).
 *   --keep leaves the generated database in place and prints its URL; --database URL reuses it.
 *   --reattribute N (default 20,000; 0 skips): afterwards, conversions re-attributed per second in
 *   pages against one at a time (bench/support/reattribution-rate.ts). It replaces those
 *   conversions' credits with the real models', so a kept database is no longer as generated.
 *
 * For each question: one warm-up of each, then `--runs` runs alternating report and baseline;
 * prints the medians, their ratio and whether the report met the target, then one JSON line.
 * Target: the report's median ≤ 200 ms.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createOrmConfig } from '@ce/db';
import { rollupDriftSql } from '../activities/attribution/rollup-drift';
import { RoiReportService } from '../apps/api/src/reports/roi-report.service';
import { createBenchDatabase, median, numberOption, textOption, timeRuns } from './support/bench-db';
import { CURRENCIES, generateAttribution, YEAR } from './support/generate-attribution';
import { measureReattribution } from './support/reattribution-rate';
import { answerOfReport, differences, RoiQuestion, roiFromCredits } from './support/roi-from-credits';

const TARGET_MS = 200;
const SEVERAL = ['last_touch', 'linear', 'time_decay', 'markov'];
const ALL = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based', 'w_shaped', 'markov', 'shapley'];
const MONTH = { from: '2025-06-01', to: '2025-06-30' };

const log = (line: string) => console.log(`[roi] ${line}`);

async function main(): Promise<void> {
  const conversions = numberOption('conversions', 1_000_000);
  const credits = numberOption('credits', conversions * 10);
  const runs = numberOption('runs', 15);
  const currency = textOption('currency') ?? 'USD';
  const reuse = textOption('database');
  const keep = process.argv.includes('--keep');
  const reattribute = Number(textOption('reattribute') ?? 20_000);
  if (!Number.isInteger(reattribute) || reattribute < 0) throw new Error('--reattribute must be a whole number, 0 to skip');

  const bench = reuse ? null : await createBenchDatabase('ce_bench_roi');
  const url = bench?.url ?? reuse!;
  const client = bench?.client ?? new Client({ connectionString: url });
  if (!bench) await client.connect();
  const orm = await MikroORM.init(createOrmConfig({ databaseUrl: url, poolSize: 2 }));
  try {
    if (bench) {
      const started = Date.now();
      await generateAttribution(client, { conversions, credits }, log);
      log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const size = await countRows(client);
    log(`${size.conversions} conversions, ${size.credits} credits, ${size.rollups} roll-up rows, ${size.costs} cost rows`);
    const drift = await rollupDrift(client);
    if (drift > 0) throw new Error(`${drift} roll-up rows differ from the sums of the credits`);
    log('both roll-ups equal the sums of the credits');

    const service = new RoiReportService(orm.em.fork());
    const questions: (RoiQuestion & { name: string })[] = [
      { name: 'year, 1 model', ...YEAR, models: ['linear'], currency },
      { name: `year, ${SEVERAL.length} models`, ...YEAR, models: SEVERAL, currency },
      { name: `year, all ${ALL.length} models`, ...YEAR, models: ALL, currency },
      { name: 'month, 1 model', ...MONTH, models: ['linear'], currency },
      { name: `month, ${SEVERAL.length} models`, ...MONTH, models: SEVERAL, currency },
    ];
    const results = [];
    for (const question of questions) {
      const report = () => service.report({ from: question.from, to: question.to, models: question.models.join(','), groupBy: 'channel', currency: question.currency });
      const baseline = () => roiFromCredits(client, question, CURRENCIES);

      const problems = differences(answerOfReport((await report()).report), await baseline(), currency);
      if (problems.length > 0) throw new Error(`${question.name}: the report and the baseline differ:\n  ${problems.slice(0, 20).join('\n  ')}`);
      const times = await alternate(runs, report, baseline);
      const result = {
        question: question.name,
        from: question.from,
        to: question.to,
        models: question.models.length,
        reportMedianMs: round(median(times.first)),
        baselineMedianMs: round(median(times.second)),
        ratio: round(median(times.second) / median(times.first)),
        met: median(times.first) <= TARGET_MS,
      };
      log(
        `${question.name.padEnd(18)} report ${String(result.reportMedianMs).padStart(8)} ms   from credits ${String(result.baselineMedianMs).padStart(9)} ms   ` +
          `${result.ratio}× faster   ${result.met ? 'meets' : 'MISSES'} ≤ ${TARGET_MS} ms`,
      );
      results.push(result);
    }
    const reattribution = reattribute > 0 ? await measureReattribution(orm, client, reattribute, log) : null;
    if (reattribution && (await rollupDrift(client)) > 0) throw new Error('roll-ups differ from the sums of the credits after the re-attribution');
    console.log(JSON.stringify({ benchmark: 'roi-report', ...size, currency, runs, targetMs: TARGET_MS, results, reattribution }));
    if (keep && bench) log(`kept database: ${url}`);
  } finally {
    await orm.close(true);
    if (bench && !keep) await bench.drop();
    else if (bench) await bench.client.end();
    else await client.end();
  }
}

/** One warm-up of each, then `runs` rounds of first then second; each duration in milliseconds. */
async function alternate(runs: number, first: () => Promise<unknown>, second: () => Promise<unknown>): Promise<{ first: number[]; second: number[] }> {
  await first();
  await second();
  const times = { first: [] as number[], second: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.first.push(...(await timeRuns(1, first)));
    times.second.push(...(await timeRuns(1, second)));
  }
  return times;
}

async function countRows(client: Client): Promise<{ conversions: number; credits: number; rollups: number; costs: number }> {
  const { rows } = await client.query(
    `select (select count(*) from conversions)::int as conversions, (select count(*) from attribution_credits)::int as credits,
            (select count(*) from attribution_rollups)::int as rollups, (select count(*) from costs)::int as costs`,
  );
  return rows[0];
}

/** Rows of either roll-up that differ from the sums of the credits they roll up (0 when they agree). */
async function rollupDrift(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(rollupDriftSql());
  return rows[0].n;
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
