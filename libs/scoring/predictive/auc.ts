/**
 * The area under the ROC curve: the chance that a random converted lead scores higher than a
 * random non-converted one, ties counting half. Computed exactly from ranks (the Mann–Whitney U
 * statistic, tied scores sharing their average rank). 1 is a perfect ranking, 0.5 no better than
 * chance, 0 exactly backwards. Returns null when the labels lack either class, as there is
 * nothing to compare.
 */
export function rocAuc(scores: readonly number[], labels: readonly (0 | 1)[]): number | null {
  if (scores.length !== labels.length) throw new RangeError('scores and labels must be as many');
  if (scores.some((s) => Number.isNaN(s))) throw new RangeError('a score is not a number');
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return null;

  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] < scores[b] ? -1 : scores[a] > scores[b] ? 1 : 0));
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end += 1;
    const averageRank = (start + end) / 2 + 1; // ranks count from 1
    for (let k = start; k <= end; k++) if (labels[order[k]] === 1) positiveRankSum += averageRank;
    start = end + 1;
  }
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}
