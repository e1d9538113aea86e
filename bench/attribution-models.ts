/**
 * The data-driven attribution models over 1,000,000 aggregated paths (`--paths N`): the
 * first-order Markov model with removal effects (solved exactly) and the Shapley values, each
 * against the same run's baseline: one pass over the same paths that only counts their
 * transitions (the least any model must do with them). Target: each model in ≤ 3 s.
 *
 * The paths: the 10,000 paths of `tests/fixtures/attribution-paths.csv` (12 channels, with
 * their conversions, value and non-converting counts), repeated with their counts varied by a
 * fixed pseudo-random sequence until there are N, so that the models see N distinct rows.
 * Median of 5 runs after one warm-up.
 *
 *   npm run bench:attribution [-- --paths 1000000]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markovModel, parsePathsCsv, PathStats, shapleyModel } from '@ce/attribution';
import { numberOption } from './support/bench-db';

const log = (line: string) => console.log(`[attribution] ${line}`);
const RUNS = 5;

function main(): void {
  const count = numberOption('paths', 1_000_000);
  const seed = parsePathsCsv(readFileSync(join(__dirname, '..', '..', 'tests', 'fixtures', 'attribution-paths.csv'), 'utf8'));
  const paths = grow(seed, count);
  const steps = paths.reduce((sum, p) => sum + p.channels.length, 0);
  log(`${paths.length.toLocaleString('en')} paths, ${steps.toLocaleString('en')} touches, ${new Set(seed.flatMap((p) => p.channels)).size} channels`);

  const baseline = median(() => countTransitions(paths));
  const markov = median(() => markovModel(paths));
  const shapley = median(() => shapleyModel(paths));

  log(`baseline (one pass counting transitions): ${baseline.toFixed(0)} ms`);
  log(`markov (exact removal effects):           ${markov.toFixed(0)} ms (${(markov / baseline).toFixed(1)}× the baseline; target ≤ 3,000 ms)`);
  log(`shapley (closed form):                    ${shapley.toFixed(0)} ms (${(shapley / baseline).toFixed(1)}× the baseline; target ≤ 3,000 ms)`);
  console.log(
    JSON.stringify({
      benchmark: 'attribution-models',
      paths: paths.length,
      touches: steps,
      baselineMs: Math.round(baseline),
      markovMs: Math.round(markov),
      shapleyMs: Math.round(shapley),
      targetMs: 3_000,
    }),
  );
}

/** `count` paths from the seed's, their counts varied by a fixed linear congruential sequence. */
function grow(seed: PathStats[], count: number): PathStats[] {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, (_, i) => {
    const base = seed[i % seed.length];
    const factor = 0.5 + next();
    return {
      channels: base.channels,
      conversions: Math.round(base.conversions * factor),
      value: base.value * factor,
      nulls: Math.round(base.nulls * factor),
    };
  });
}

/** What every model must at least do: look at every transition of every path once. */
function countTransitions(paths: PathStats[]): number {
  const counts = new Map<string, number>();
  for (const path of paths) {
    let from = '(start)';
    const walks = path.conversions + path.nulls;
    for (const channel of path.channels) {
      const key = from + '>' + channel;
      counts.set(key, (counts.get(key) ?? 0) + walks);
      from = channel;
    }
  }
  return counts.size;
}

/** Median wall time of `RUNS` runs after one warm-up, in milliseconds. */
function median(work: () => unknown): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

main();
