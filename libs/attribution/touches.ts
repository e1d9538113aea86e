/** One touchpoint of a conversion's path, as the models see it. */
export interface Touch {
  id: string;
  channel: string;
  /** When it happened, epoch milliseconds. */
  at: number;
  /** True for the `direct` channel (no campaign, no referrer), which last non-direct touch passes over. */
  direct?: boolean;
  /** The touch at which the lead was created (W-shaped). */
  leadCreation?: boolean;
  /** The touch at which the opportunity was created (W-shaped). */
  opportunityCreation?: boolean;
}

/** A touch's share of one conversion; a conversion's credits sum to 1. */
export interface TouchCredit {
  touchId: string;
  credit: number;
}

/** Touches in time order; touches at the same instant in id order, so every model sees one order. */
export function inTimeOrder(touches: readonly Touch[]): Touch[] {
  return [...touches].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Scales weights (≥ 0, at least one > 0) to credits that sum to exactly 1: the last takes what rounding left. */
export function normalise(touches: readonly Touch[], weights: readonly number[]): TouchCredit[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!(total > 0)) throw new Error('no weight to share');
  const credits = touches.map((t, i) => ({ touchId: t.id, credit: weights[i] / total }));
  const lastWithWeight = weights.reduce((last, w, i) => (w > 0 ? i : last), -1);
  const rest = credits.reduce((sum, c, i) => (i === lastWithWeight ? sum : sum + c.credit), 0);
  credits[lastWithWeight].credit = 1 - rest;
  return credits.filter((c) => c.credit > 0);
}
