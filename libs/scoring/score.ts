import type { BehaviourRule, RuleKind, ScoringModel, StageThresholds } from './scoring-model.types';

export const DAY_MS = 86_400_000;

/**
 * How much of its points a touchpoint `ageMs` old still gives under a half-life of
 * `halfLifeDays`: 2^(−age / half-life); 1 without a half-life. A touchpoint stamped later than
 * the evaluation time (a clock ahead) counts whole.
 */
export function decayWeight(ageMs: number, halfLifeDays: number | null): number {
  if (halfLifeDays === null) return 1;
  return 0.5 ** (Math.max(ageMs, 0) / (halfLifeDays * DAY_MS));
}

/** A behaviour rule's points from the sum of its touchpoints' weights: points × sum, held to the cap. */
export function behaviourPoints(rule: Pick<BehaviourRule, 'points' | 'cap'>, weightSum: number): number {
  const raw = rule.points * weightSum;
  return rule.cap === null ? raw : Math.sign(raw) * Math.min(Math.abs(raw), rule.cap);
}

/**
 * What the database says about one lead for a model (see score-sql.ts): per rule id, whether a
 * fit or negative rule's condition holds, or a behaviour rule's matching touchpoints (how many,
 * the sum of their weights); and what inactivity is measured from.
 */
export interface LeadFacts {
  leadId: string;
  createdAt: Date;
  /** The latest touchpoint of any kind (not later than now), or null. */
  lastTouchAt: Date | null;
  holds: Record<string, boolean>;
  touches: Record<string, { count: number; weight: number }>;
  /** The points flows gave the lead (`adjust_score` steps), in all. */
  adjusted: number;
}

/** One line of a score's explanation. */
export interface Contribution {
  /** The rule's id; `adjustments` for the points flows gave. */
  ruleId: string;
  kind: RuleKind | 'adjustment';
  name: string;
  /** The points this line adds (negative: takes away), to 2 decimals. */
  points: number;
  /** For behaviour rules: the touchpoints that counted. */
  events?: number;
  /** The cap held the rule to its most. */
  capped?: boolean;
}

export interface LeadScore {
  leadId: string;
  /** The sum of the contributions, rounded to a whole number (halves away from 0). */
  score: number;
  /** Every rule that gives or takes points, largest effect first. */
  contributions: Contribution[];
}

export const ADJUSTMENTS_ID = 'adjustments';

/** Rounds halves away from zero, as money and scores are rounded everywhere in the product. */
const roundAway = (n: number, digits = 0) => {
  const f = 10 ** digits;
  // `+ 0` turns a negative zero into 0.
  return (Math.sign(n) * Math.round(Math.abs(n) * f)) / f + 0;
};

/** A lead's score under a model at `now`, from its facts, with every contribution that counts. */
export function scoreLead(model: ScoringModel, facts: LeadFacts, now: Date): LeadScore {
  const contributions: (Contribution & { exact: number })[] = [];
  for (const rule of model.rules) {
    const line = { ruleId: rule.id, kind: rule.kind, name: rule.name };
    if (rule.kind === 'behaviour') {
      const touches = facts.touches[rule.id];
      if (!touches || touches.count === 0) continue;
      const exact = behaviourPoints(rule, touches.weight);
      const capped = rule.cap !== null && Math.abs(rule.points * touches.weight) > rule.cap;
      contributions.push({ ...line, exact, points: roundAway(exact, 2), events: touches.count, ...(capped ? { capped } : {}) });
    } else if (rule.kind === 'negative' && rule.inactiveDays !== null) {
      if (inactiveFor(facts, now) >= rule.inactiveDays * DAY_MS) contributions.push({ ...line, exact: rule.points, points: rule.points });
    } else if (facts.holds[rule.id]) {
      contributions.push({ ...line, exact: rule.points, points: rule.points });
    }
  }
  if (facts.adjusted !== 0)
    contributions.push({ ruleId: ADJUSTMENTS_ID, kind: 'adjustment', name: 'Points from flows', exact: facts.adjusted, points: facts.adjusted });
  const total = contributions.reduce((sum, c) => sum + c.exact, 0);
  contributions.sort((a, b) => Math.abs(b.exact) - Math.abs(a.exact) || a.ruleId.localeCompare(b.ruleId));
  return { leadId: facts.leadId, score: roundAway(total), contributions: contributions.map(({ exact: _exact, ...c }) => c) };
}

/**
 * How long the lead has been without a touchpoint: since its latest one, or since it was
 * created when that is later (a lead is not inactive before it exists).
 */
function inactiveFor(facts: LeadFacts, now: Date): number {
  const since = Math.max(facts.createdAt.getTime(), facts.lastTouchAt?.getTime() ?? 0);
  return now.getTime() - since;
}

/**
 * The stage a score moves a lead to, or null when it stays: a subscriber or lead at or above
 * the MQL threshold becomes an MQL; a subscriber at or above the lead threshold becomes a lead.
 * A score never moves a lead back, nor one that sales or a person moved on or disqualified.
 */
export function stageAfterScore(stage: string, score: number, thresholds: StageThresholds): 'lead' | 'mql' | null {
  if ((stage === 'subscriber' || stage === 'lead') && score >= thresholds.mql) return 'mql';
  if (stage === 'subscriber' && thresholds.lead !== null && score >= thresholds.lead) return 'lead';
  return null;
}
