/** Each feature's mean and standard deviation on the training rows. */
export interface Standardisation {
  means: number[];
  /** Population standard deviations (divided by n); 1 for a feature that never varied. */
  stds: number[];
  /** Whether the feature had (nearly) the same value on every row; such a feature gets weight 0. */
  constant: boolean[];
}

/**
 * Measures each feature's mean and standard deviation over the rows. A feature whose spread is
 * negligible next to its size counts as constant: its std is set to 1, so its standardised value
 * is 0 on every training row and it plays no part in the fit.
 */
export function fitStandardisation(rows: readonly (readonly number[])[], featureCount: number): Standardisation {
  const n = rows.length;
  const means = new Array<number>(featureCount).fill(0);
  const stds = new Array<number>(featureCount).fill(1);
  const constant = new Array<boolean>(featureCount).fill(true);
  if (n === 0) return { means, stds, constant };
  for (let j = 0; j < featureCount; j++) {
    let sum = 0;
    for (const row of rows) sum += row[j];
    const mean = sum / n;
    let squares = 0;
    for (const row of rows) squares += (row[j] - mean) ** 2;
    const std = Math.sqrt(squares / n);
    means[j] = mean;
    if (std > 1e-12 * Math.max(1, Math.abs(mean))) {
      stds[j] = std;
      constant[j] = false;
    }
  }
  return { means, stds, constant };
}

/** A lead's features on the standardised scale: (value − mean) / std, feature by feature. */
export function standardise(features: readonly number[], s: Pick<Standardisation, 'means' | 'stds'>): number[] {
  return features.map((v, j) => (v - s.means[j]) / s.stds[j]);
}
