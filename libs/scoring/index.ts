export * from './scoring-model.types';
export { validateScoringModel } from './validate-scoring-model';
export type { ConditionAt, ScoringModelCheck } from './validate-scoring-model';
export { ADJUSTMENTS_ID, behaviourPoints, DAY_MS, decayWeight, scoreLead, stageAfterScore } from './score';
export type { Contribution, LeadFacts, LeadScore } from './score';
export { factsOfRow, leadFactsSql, ruleTouchpointsSql } from './score-sql';
export type { LeadFactsRow } from './score-sql';
