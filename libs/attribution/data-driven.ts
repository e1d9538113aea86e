import { inTimeOrder, normalise, Touch, TouchCredit } from './touches';

export const DATA_DRIVEN_MODELS = ['markov', 'shapley'] as const;
export type DataDrivenModel = (typeof DATA_DRIVEN_MODELS)[number];

/**
 * One conversion's credits from a data-driven model's channel weights (computed over all paths):
 * each distinct channel of the conversion's touches gets weight / sum of its channels' weights,
 * shared equally by its touches. When none of its channels has any weight (channels new since
 * the model was computed), every touch gets an equal share.
 */
export function dataDrivenCredits(weights: ReadonlyMap<string, number>, touches: readonly Touch[]): TouchCredit[] {
  const ordered = inTimeOrder(touches);
  if (ordered.length === 0) return [];
  const perChannel = new Map<string, number>();
  for (const t of ordered) perChannel.set(t.channel, (perChannel.get(t.channel) ?? 0) + 1);
  const raw = ordered.map((t) => Math.max(0, weights.get(t.channel) ?? 0) / perChannel.get(t.channel)!);
  return normalise(ordered, raw.some((w) => w > 0) ? raw : ordered.map(() => 1));
}
