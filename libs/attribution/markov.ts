import { DataDrivenResult, PathStats, scaleToTotals, totals } from './paths';

/**
 * The first-order Markov chain model with removal effects, solved exactly.
 *
 * Every journey is a walk (start) → its channels in order → (conversion) or (null); transition
 * probabilities are the walks' transition counts, row by row, over converting and non-converting
 * journeys alike. The chance of reaching (conversion) from (start) is found by solving the
 * absorbing chain's linear system (no simulation). A channel's removal effect is the share of
 * that chance lost when the channel is taken out, i.e. every transition into it goes to (null)
 * instead: 1 − P(without it) / P. Conversions are shared in proportion to removal effects.
 *
 * Value is shared the same way over the expected value of a walk, each (conversion) arrival
 * worth the average value of the conversions that left from that channel; so a channel that
 * leads to valuable conversions weighs more for value than for counts.
 */
export function markovModel(paths: readonly PathStats[]): DataDrivenResult & { conversionProbability: number } {
  const channels = [...new Set(paths.flatMap((p) => p.channels))].sort();
  const index = new Map(channels.map((c, i) => [c, i + 1]));
  const n = channels.length + 1; // state 0 is (start)
  const counts = Array.from({ length: n }, () => new Float64Array(n));
  const toConversion = new Float64Array(n);
  const toNull = new Float64Array(n);
  const valueFrom = new Float64Array(n);
  for (const path of paths) {
    const walks = path.conversions + path.nulls;
    if (walks === 0) continue;
    let from = 0;
    for (const channel of path.channels) {
      const to = index.get(channel)!;
      counts[from][to] += walks;
      from = to;
    }
    toConversion[from] += path.conversions;
    toNull[from] += path.nulls;
    valueFrom[from] += path.value;
  }
  const rowTotal = counts.map((row, i) => row.reduce((a, b) => a + b, 0) + toConversion[i] + toNull[i]);
  const probability = (i: number, j: number) => (rowTotal[i] > 0 ? counts[i][j] / rowTotal[i] : 0);
  const conversionStep = Array.from({ length: n }, (_, i) => (rowTotal[i] > 0 ? toConversion[i] / rowTotal[i] : 0));
  // The average value of a conversion reached from each state.
  const valueStep = conversionStep.map((p, i) => (toConversion[i] > 0 ? p * (valueFrom[i] / toConversion[i]) : 0));

  const solve = (removed: number | null, rewards: number[]) => {
    // (I − Q) x = r, with every transition into the removed state sent to (null) instead.
    const a = Array.from({ length: n }, (_, i) => {
      const row = new Float64Array(n + 1);
      for (let j = 0; j < n; j++) row[j] = (i === j ? 1 : 0) - (j === removed ? 0 : probability(i, j));
      row[n] = i === removed ? 0 : rewards[i];
      return row;
    });
    return gaussianSolve(a, n)[0];
  };

  const base = solve(null, conversionStep);
  const baseValue = solve(null, valueStep);
  const weights = new Map<string, number>();
  const valueWeights = new Map<string, number>();
  channels.forEach((channel, k) => {
    const state = k + 1;
    weights.set(channel, base > 0 ? Math.max(0, 1 - solve(state, conversionStep) / base) : 0);
    valueWeights.set(channel, baseValue > 0 ? Math.max(0, 1 - solve(state, valueStep) / baseValue) : 0);
  });
  const sums = totals(paths);
  return { ...scaleToTotals(weights, sums.conversions, sums.value, valueWeights), conversionProbability: base };
}

/** Solves an n × n system given as rows [a₀ … aₙ₋₁ | b] by Gaussian elimination with partial pivoting. */
function gaussianSolve(rows: Float64Array[], n: number): Float64Array {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(rows[r][col]) > Math.abs(rows[pivot][col])) pivot = r;
    [rows[col], rows[pivot]] = [rows[pivot], rows[col]];
    const p = rows[col][col];
    if (Math.abs(p) < 1e-15) continue; // a state never reached: its unknown stays 0
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = rows[r][col] / p;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) rows[r][c] -= f * rows[col][c];
    }
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.abs(rows[i][i]) < 1e-15 ? 0 : rows[i][n] / rows[i][i];
  return x;
}
