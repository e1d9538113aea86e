import { inTimeOrder, normalise, Touch, TouchCredit } from './touches';

export const HEURISTIC_MODELS = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based', 'w_shaped'] as const;
export type HeuristicModel = (typeof HEURISTIC_MODELS)[number];

export interface HeuristicOptions {
  /** When the conversion happened (time decay counts back from it), epoch milliseconds. */
  conversionAt: number;
  /** Time decay's half-life; 7 days unless given. */
  halfLifeMs?: number;
}

export const DEFAULT_HALF_LIFE_MS = 7 * 86_400_000;

/**
 * One conversion's credits under a rule-based model, over its touches in the look-back window
 * (in any order: they are put in time order, ties by id). No touches, no credits.
 *
 * - first_touch / last_touch: all to the first / the last.
 * - last_non_direct: all to the last touch not on the direct channel; to the last touch if all are direct.
 * - linear: equal shares.
 * - time_decay: weight 2^(−Δt / half-life), Δt the time from the touch to the conversion (a
 *   touch after the conversion counts as Δt 0), normalised.
 * - position_based: 40 % first, 40 % last, 20 % shared by the touches between; one touch gets
 *   all, two get half each.
 * - w_shaped: 30 % each to the first touch, the lead-creation touch and the opportunity-creation
 *   touch (a touch that fills two of these roles gets 60 %), 10 % shared by the other touches.
 *   A role no touch fills gives its 30 % to the other touches too; when there are no other
 *   touches, the role shares are scaled up to make 100 %.
 */
export function heuristicCredits(model: HeuristicModel, touches: readonly Touch[], options: HeuristicOptions): TouchCredit[] {
  const ordered = inTimeOrder(touches);
  const n = ordered.length;
  if (n === 0) return [];
  const only = (index: number) => normalise(ordered, ordered.map((_, i) => (i === index ? 1 : 0)));
  switch (model) {
    case 'first_touch':
      return only(0);
    case 'last_touch':
      return only(n - 1);
    case 'last_non_direct': {
      const index = ordered.map((t) => !t.direct).lastIndexOf(true);
      return only(index >= 0 ? index : n - 1);
    }
    case 'linear':
      return normalise(ordered, ordered.map(() => 1));
    case 'time_decay': {
      const halfLife = options.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
      return normalise(ordered, ordered.map((t) => 2 ** (-Math.max(0, options.conversionAt - t.at) / halfLife)));
    }
    case 'position_based':
      if (n <= 2) return normalise(ordered, ordered.map(() => 1));
      return normalise(ordered, ordered.map((_, i) => (i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2))));
    case 'w_shaped':
      return normalise(ordered, wShapedWeights(ordered));
  }
}

function wShapedWeights(ordered: Touch[]): number[] {
  const roles = [0, ordered.findIndex((t) => t.leadCreation), ordered.findIndex((t) => t.opportunityCreation)];
  const weights = ordered.map(() => 0);
  let unfilled = 0;
  for (const index of roles) {
    if (index >= 0) weights[index] += 0.3;
    else unfilled += 0.3;
  }
  const others = ordered.map((_, i) => i).filter((i) => weights[i] === 0);
  if (others.length === 0) return weights;
  const each = (0.1 + unfilled) / others.length;
  for (const i of others) weights[i] = each;
  return weights;
}
