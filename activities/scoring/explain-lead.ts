import type { EntityManager } from '@mikro-orm/postgresql';
import { LeadScore as StoredScore, LeadScoreAdjustment } from '@ce/db';
import { BehaviourRule, Contribution, decayWeight, ruleTouchpointsSql, StageThresholds } from '@ce/scoring';
import { NO_MODEL, scoreLeadsNow } from './rescore-leads';
import type { CurrentScoringModel } from './scoring-models';

const TOUCHPOINTS_SHOWN = 20;
const ADJUSTMENTS_SHOWN = 50;

export interface ScoredTouchpoint {
  id: string;
  type: string;
  channel: string;
  campaignId: string | null;
  occurredAt: Date;
  weight: number;
  points: number;
}

export interface ExplainedContribution extends Contribution {
  when?: Record<string, unknown>;
  inactiveDays?: number;
  touchpoints?: ScoredTouchpoint[];
  adjustments?: { points: number; reason: string | null; campaignId: string | null; stepId: string | null; at: Date }[];
}

export interface ScoreExplanation {
  leadId: string;
  score: number;
  computedAt: Date;
  storedScore: number;
  storedAt: Date | null;
  lifecycleStage: string;
  modelVersion: number | null;
  thresholds: StageThresholds | null;
  contributions: ExplainedContribution[];
  /** The predictive score stored for the lead: its chance to convert, and the model version. */
  predicted: { chance: number; version: number } | null;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * A lead's score worked out at `now` under the model in force, as a sum of contributions, each
 * with its rule and what is behind it: the condition that holds, the touchpoints that counted
 * (with their decayed weights) or the flow steps that gave points. Null when the lead does not
 * exist.
 */
export async function explainLeadScore(em: EntityManager, leadId: string, now: Date, current: CurrentScoringModel | null): Promise<ScoreExplanation | null> {
  const model = current?.model ?? NO_MODEL;
  const { rows, scores } = await scoreLeadsNow(em, [leadId], now, model);
  if (rows.length === 0) return null;
  const [row, live] = [rows[0], scores[0]];
  const stored = await em.findOne(StoredScore, { lead: leadId });
  const rules = new Map(model.rules.map((r) => [r.id, r]));

  const contributions: ExplainedContribution[] = [];
  for (const line of live.contributions) {
    const rule = rules.get(line.ruleId);
    if (line.kind === 'adjustment') contributions.push({ ...line, adjustments: await adjustmentsOf(em, leadId) });
    else if (rule?.kind === 'behaviour') contributions.push({ ...line, touchpoints: await touchpointsOf(em, rule, leadId, now) });
    else if (rule?.when) contributions.push({ ...line, when: rule.when as unknown as Record<string, unknown> });
    else if (rule?.kind === 'negative' && rule.inactiveDays) contributions.push({ ...line, inactiveDays: rule.inactiveDays });
    else contributions.push(line);
  }
  return {
    leadId: String(row.lead_id),
    score: live.score,
    computedAt: now,
    storedScore: Number(row.score),
    storedAt: stored?.scoredAt ?? null,
    lifecycleStage: String(row.lifecycle_stage),
    modelVersion: current?.version ?? null,
    thresholds: current?.model.thresholds ?? null,
    contributions,
    predicted: stored?.predicted != null && stored.predictiveVersion != null ? { chance: Math.round(stored.predicted * 1e4) / 1e4, version: stored.predictiveVersion } : null,
  };
}

async function touchpointsOf(em: EntityManager, rule: BehaviourRule, leadId: string, now: Date): Promise<ScoredTouchpoint[]> {
  const statement = ruleTouchpointsSql(rule, leadId, now, TOUCHPOINTS_SHOWN);
  const rows = await em.execute<{ id: string; type: string; channel: string; campaign_id: string | null; occurred_at: Date }[]>(statement.sql, statement.params);
  return rows.map((t) => {
    const occurredAt = new Date(t.occurred_at);
    const weight = decayWeight(now.getTime() - occurredAt.getTime(), rule.halfLifeDays);
    return { id: t.id, type: t.type, channel: t.channel, campaignId: t.campaign_id, occurredAt, weight: round(weight, 4), points: round(rule.points * weight, 2) };
  });
}

async function adjustmentsOf(em: EntityManager, leadId: string): Promise<NonNullable<ExplainedContribution['adjustments']>> {
  const rows = await em.find(LeadScoreAdjustment, { lead: leadId }, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: ADJUSTMENTS_SHOWN });
  return rows.map((a) => ({ points: a.points, reason: a.reason, campaignId: a.campaignId, stepId: a.stepId, at: a.createdAt }));
}

