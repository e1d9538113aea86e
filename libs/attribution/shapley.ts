import { DataDrivenResult, PathStats, scaleToTotals, totals } from './paths';

/**
 * Shapley values of the channels in the cooperative game whose worth of a set of channels S is
 * the conversions (or their value) of the journeys that touched only channels in S. That game is
 * a sum of unanimity games, one per set of channels T a journey touched, with weight the
 * journeys' conversions; a unanimity game's Shapley value gives each member of T an equal 1/|T|.
 * So each journey's conversions and value are shared equally among its distinct channels: the
 * exact Shapley values, without enumerating the 2ⁿ coalitions. They add up to the totals.
 */
export function shapleyModel(paths: readonly PathStats[]): DataDrivenResult {
  const conversions = new Map<string, number>();
  const value = new Map<string, number>();
  for (const path of paths) {
    const distinct = [...new Set(path.channels)];
    for (const channel of distinct) {
      conversions.set(channel, (conversions.get(channel) ?? 0) + path.conversions / distinct.length);
      value.set(channel, (value.get(channel) ?? 0) + path.value / distinct.length);
    }
  }
  const sums = totals(paths);
  return scaleToTotals(conversions, sums.conversions, sums.value, value);
}

/**
 * The same Shapley values by the textbook formula, enumerating every coalition: φᵢ = Σ over S ⊆ N∖{i}
 * of |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S)). For checking `shapleyModel` on small games.
 */
export function shapleyByEnumeration(paths: readonly PathStats[]): Map<string, number> {
  const channels = [...new Set(paths.flatMap((p) => p.channels))].sort();
  const n = channels.length;
  const bit = new Map(channels.map((c, i) => [c, 1 << i]));
  const worth = new Float64Array(1 << n);
  for (const path of paths) {
    const mask = path.channels.reduce((m, c) => m | bit.get(c)!, 0);
    // Every coalition containing the journey's channels gets its conversions.
    for (let s = 0; s < 1 << n; s++) if ((s & mask) === mask) worth[s] += path.conversions;
  }
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const result = new Map<string, number>();
  channels.forEach((channel, i) => {
    let phi = 0;
    for (let s = 0; s < 1 << n; s++) {
      if (s & (1 << i)) continue;
      const size = s.toString(2).split('').filter((b) => b === '1').length;
      phi += ((factorial(size) * factorial(n - size - 1)) / factorial(n)) * (worth[s | (1 << i)] - worth[s]);
    }
    result.set(channel, phi);
  });
  return result;
}
