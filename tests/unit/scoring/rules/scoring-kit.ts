import { BehaviourRule, DAY_MS, FitRule, LeadFacts, NegativeRule, ScoringModel, ScoringRule } from '@ce/scoring';

/** The evaluation time of every example. */
export const NOW = new Date('2025-06-01T12:00:00.000Z');
export const LEAD_ID = '11111111-0000-4000-8000-000000000001';
export const CAMPAIGN = 'cccccccc-0000-4000-8000-00000000000c';

/** The moment `days` days before NOW (after it, for a negative number). */
export const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

export const fitRule = (overrides: Partial<FitRule> = {}): FitRule => ({
  id: 'from-de',
  kind: 'fit',
  name: 'From Germany',
  points: 10,
  when: { field: 'country', op: 'eq', value: 'DE' },
  ...overrides,
});

export const behaviourRule = (overrides: Partial<BehaviourRule> = {}): BehaviourRule => ({
  id: 'clicks',
  kind: 'behaviour',
  name: 'Clicked an email',
  points: 10,
  event: { type: ['click'] },
  cap: null,
  halfLifeDays: null,
  lookbackDays: 365,
  ...overrides,
});

export const inactivityRule = (overrides: Partial<NegativeRule> = {}): NegativeRule => ({
  id: 'inactive',
  kind: 'negative',
  name: 'Went quiet',
  points: -15,
  when: null,
  inactiveDays: 60,
  ...overrides,
});

export const modelOf = (...rules: ScoringRule[]): ScoringModel => ({ rules, thresholds: { lead: null, mql: 100 } });

/** A lead created a year ago, never touched, with nothing holding. */
export const factsOf = (overrides: Partial<LeadFacts> = {}): LeadFacts => ({
  leadId: LEAD_ID,
  createdAt: daysAgo(365),
  lastTouchAt: null,
  holds: {},
  touches: {},
  adjusted: 0,
  ...overrides,
});
