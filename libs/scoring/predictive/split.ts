import { seededRandom, shuffled } from './seeded-random';

/** How to set leads aside for measuring the model. */
export interface SplitOptions {
  /** The share of each class (converted, not converted) held out; more than 0 and at most 0.5. */
  heldOutFraction?: number;
  /** The seed of the shuffle: the same rows and seed always give the same split. */
  seed?: number | string;
}

/** The share of leads held out when none is given. */
export const DEFAULT_HELD_OUT_FRACTION = 0.25;
/** The seed used when none is given. */
export const DEFAULT_SPLIT_SEED = 1;

/** The rows to fit on and the rows set aside to measure the fit, each in their original order. */
export interface TrainHeldOutSplit<T> {
  train: T[];
  heldOut: T[];
}

/** How many of a class of `classSize` leads are held out: classSize × fraction, rounded. */
export function heldOutCount(classSize: number, heldOutFraction: number = DEFAULT_HELD_OUT_FRACTION): number {
  checkFraction(heldOutFraction);
  return Math.round(classSize * heldOutFraction);
}

/**
 * Splits rows into a training part and a held-out part, stratified by label: each class is
 * shuffled with a seeded generator and {@link heldOutCount} of it is held out, so both parts keep
 * the data's conversion rate. Every row lands in exactly one part; the same rows in the same
 * order with the same seed always split the same way.
 */
export function splitTrainHeldOut<T extends { label: 0 | 1 }>(rows: readonly T[], options: SplitOptions = {}): TrainHeldOutSplit<T> {
  const fraction = options.heldOutFraction ?? DEFAULT_HELD_OUT_FRACTION;
  checkFraction(fraction);
  const random = seededRandom(options.seed ?? DEFAULT_SPLIT_SEED);
  const heldOut = new Set<number>();
  for (const label of [1, 0] as const) {
    const members = rows.flatMap((row, i) => (row.label === label ? [i] : []));
    for (const i of shuffled(members, random).slice(0, heldOutCount(members.length, fraction))) heldOut.add(i);
  }
  return {
    train: rows.filter((_, i) => !heldOut.has(i)),
    heldOut: rows.filter((_, i) => heldOut.has(i)),
  };
}

function checkFraction(fraction: number): void {
  if (!(fraction > 0 && fraction <= 0.5)) throw new RangeError('the held-out fraction must be more than 0 and at most 0.5');
}
