import type { SegmentCondition } from '@ce/segments';

/*
 * A scoring model: the rules that give a lead points, and the scores at which a lead moves up
 * the lifecycle. A model is JSON, stored as numbered versions; a lead's score is the sum of its
 * rules' contributions (and of the points flows gave it), worked out afresh from its data.
 */

/** How a rule scores. */
export const RULE_KINDS = ['fit', 'behaviour', 'negative'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

interface RuleBase {
  /** Unique in the model: lower-case letters, digits, `-` and `_` (1–64). Explanations name it. */
  id: string;
  /** What sales read in an explanation. */
  name: string;
  /** Whole points, not 0. */
  points: number;
}

/** Who the lead is: `points` once while the condition holds. */
export interface FitRule extends RuleBase {
  kind: 'fit';
  /** A segment condition on the lead's fields, attributes, consent or behaviour. */
  when: SegmentCondition;
}

/** Which touchpoints a behaviour rule counts: every filter given must match. */
export interface EventMatch {
  /** Touchpoint types (`click`, `visit`, `form_submit`, …); any type when absent. */
  type?: string[];
  /** Channels (`email`, `paid_search`, …); any channel when absent. */
  channel?: string[];
  /** Only touchpoints of this campaign. */
  campaignId?: string;
  /** Containment on the touchpoint's properties (`{"path": "/pricing"}`). */
  properties?: Record<string, unknown>;
}

/**
 * What the lead did: `points` for each matching touchpoint in the look-back window, each worth
 * 2^(−age / half-life) of its points (no decay without a half-life), the rule's total held to
 * `cap` points.
 */
export interface BehaviourRule extends RuleBase {
  kind: 'behaviour';
  event: EventMatch;
  /** The most the rule gives (or takes, for negative points) in all; unlimited when null. */
  cap: number | null;
  /** Days after which a touchpoint counts half; null for no decay. */
  halfLifeDays: number | null;
  /** Touchpoints older than this many days do not count. */
  lookbackDays: number;
}

/**
 * What counts against the lead: negative `points` while the condition holds (unsubscribed,
 * bounced, a competitor's domain…), or after `inactiveDays` days without any touchpoint.
 */
export interface NegativeRule extends RuleBase {
  kind: 'negative';
  when: SegmentCondition | null;
  /** No touchpoint for this many days (and the lead at least this old); null when `when` is given. */
  inactiveDays: number | null;
}

export type ScoringRule = FitRule | BehaviourRule | NegativeRule;

/** Lifecycle stages a score moves a lead to. */
export interface StageThresholds {
  /** A subscriber with at least this score becomes a lead; null: never by score. */
  lead: number | null;
  /** A subscriber or lead with at least this score becomes an MQL and is handed to sales. */
  mql: number;
}

/** A scoring model as the API takes it and stores it, every default filled in. */
export interface ScoringModel {
  rules: ScoringRule[];
  thresholds: StageThresholds;
}

export const SCORING_LIMITS = {
  maxRules: 200,
  maxPoints: 1000,
  maxCap: 100_000,
  maxHalfLifeDays: 3650,
  maxLookbackDays: 3650,
  defaultLookbackDays: 365,
  maxInactiveDays: 3650,
  maxThreshold: 1_000_000,
  maxNameLength: 200,
  maxListLength: 50,
} as const;

/** Lead fields a scoring condition may not test: the score and what follows from it. */
export const FIELDS_SCORING_SETS = ['score', 'lifecycleStage', 'ownerId', 'updatedAt'] as const;
