/**
 * One historical lead as the fit sees it: its features, already encoded as numbers by the
 * caller (fit attributes one-hot encoded, engagement counts, …), and whether it converted.
 */
export interface TrainingRow {
  /** The lead's feature values, in the order of the model's feature names. */
  features: readonly number[];
  /** 1 when the lead converted, 0 when it did not. */
  label: 0 | 1;
}

/** How many rows converted (positives) and how many did not (negatives). */
export interface LabelCounts {
  positives: number;
  negatives: number;
}

/** Counts the converted and the non-converted rows. */
export function countLabels(rows: readonly { label: 0 | 1 }[]): LabelCounts {
  let positives = 0;
  for (const row of rows) if (row.label === 1) positives += 1;
  return { positives, negatives: rows.length - positives };
}

/**
 * Throws a RangeError when a row does not have exactly `featureCount` finite numbers or its
 * label is not 0 or 1: the caller encoded the leads wrongly, which no fit can repair.
 */
export function assertTrainingRows(rows: readonly TrainingRow[], featureCount: number): void {
  rows.forEach((row, i) => {
    if (row.label !== 0 && row.label !== 1) throw new RangeError(`row ${i}: the label must be 0 or 1`);
    if (row.features.length !== featureCount) {
      throw new RangeError(`row ${i}: expected ${featureCount} feature values, got ${row.features.length}`);
    }
    const bad = row.features.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new RangeError(`row ${i}: feature ${bad} is not a finite number`);
  });
}
