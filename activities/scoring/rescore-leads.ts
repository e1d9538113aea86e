import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledSegment } from '@ce/segments';
import { SegmentDefinitions } from '@ce/audience';
import { arrayLiteral } from '@ce/db';
import { factsOfRow, LeadFactsRow, leadFactsSql, LeadScore, scoreLead, ScoringModel, stageAfterScore } from '@ce/scoring';
import { CurrentPredictiveModel, storePredictions } from './predictive-models';
import type { CurrentScoringModel } from './scoring-models';

/** What scoring a batch of leads did. */
export interface RescoreOutcome {
  scored: number;
  /** Leads whose whole score changed. */
  changed: number;
  /** Leads the new scores moved up the lifecycle, with the stage each left and reached. */
  moved: { leadId: string; from: string; to: 'lead' | 'mql'; score: number }[];
}

/** For explaining a score before any model is saved: the points flows gave, nothing else. */
export const NO_MODEL: ScoringModel = { rules: [], thresholds: { lead: null, mql: Number.MAX_SAFE_INTEGER } };

/**
 * Works out the scores of `leadIds` at `now` under `current` and stores them, inside the
 * caller's transaction: `lead_scores` (score and contributions), `leads.score` where the whole
 * score changed, and the lifecycle moves the thresholds call for, each with a `stage_changed`
 * event. The leads are locked first, and a move only happens from the stage read, so two
 * scorers racing on a lead move it once. Leads that no longer exist are skipped.
 * Before any model is saved nothing is scored: a score is then what flows' steps added. With a
 * trained predictive model, each lead's predicted chance to convert is stored too.
 */
export async function rescoreLeads(
  em: EntityManager,
  leadIds: readonly string[],
  now: Date,
  current: CurrentScoringModel | null,
  predictive: CurrentPredictiveModel | null = null,
): Promise<RescoreOutcome> {
  if (leadIds.length === 0 || (!current && !predictive)) return { scored: 0, changed: 0, moved: [] };
  // In id order, so that scorers sharing leads (the updater, the recompute) wait for each other
  // instead of deadlocking, and each reads the stage it then moves from.
  await em.execute('select id from leads where id = any(?::uuid[]) order by id for no key update', [arrayLiteral([...leadIds])]);
  const outcome = current ? await scoreByRules(em, leadIds, now, current) : { scored: 0, changed: 0, moved: [] };
  if (predictive) await storePredictions(em, leadIds, predictive);
  return outcome;
}

/** The rule scores of (locked) leads, stored, with the lifecycle moves they call for. */
async function scoreByRules(em: EntityManager, leadIds: readonly string[], now: Date, current: CurrentScoringModel): Promise<RescoreOutcome> {
  const { model, version } = current;
  const { rows, scores } = await scoreLeadsNow(em, leadIds, now, model);

  const payload = JSON.stringify(scores.map((s) => ({ lead_id: s.leadId, score: s.score, contributions: s.contributions })));
  await em.execute(
    `insert into lead_scores (lead_id, model_version, score, contributions, scored_at)
     select s.lead_id, ?::int, s.score, s.contributions, ?::timestamptz
       from jsonb_to_recordset(?::jsonb) as s(lead_id uuid, score int, contributions jsonb)
     on conflict (lead_id) do update
       set model_version = excluded.model_version, score = excluded.score, contributions = excluded.contributions, scored_at = excluded.scored_at`,
    [version, now.toISOString(), payload],
  );
  const changed = await em.execute<{ id: string }[]>(
    `update leads l set score = s.score, updated_at = now()
       from jsonb_to_recordset(?::jsonb) as s(lead_id uuid, score int)
      where l.id = s.lead_id and l.score <> s.score
     returning l.id`,
    [payload],
  );

  const stageOf = new Map(rows.map((r) => [String(r.lead_id), String(r.lifecycle_stage)]));
  const planned = scores.flatMap((s) => {
    const from = stageOf.get(s.leadId)!;
    const to = stageAfterScore(from, s.score, model.thresholds);
    return to ? [{ leadId: s.leadId, from, to, score: s.score }] : [];
  });
  const moved = planned.length === 0 ? [] : await moveStages(em, planned, version, now);
  return { scored: scores.length, changed: changed.length, moved };
}

/** The scores of `leadIds` at `now` under `model`, with the rows of facts they come from; nothing stored. */
export async function scoreLeadsNow(em: EntityManager, leadIds: readonly string[], now: Date, model: ScoringModel): Promise<{ rows: LeadFactsRow[]; scores: LeadScore[] }> {
  const conditions = await compileConditions(em, model, now);
  const statement = leadFactsSql(model, conditions, leadIds, now);
  const rows = await em.execute<LeadFactsRow[]>(statement.sql, statement.params);
  return { rows, scores: rows.map((row) => scoreLead(model, factsOfRow(model, row), now)) };
}

/** The model's rule conditions compiled at `now`, by rule id. */
async function compileConditions(em: EntityManager, model: ScoringModel, now: Date): Promise<Map<string, CompiledSegment>> {
  const withConditions = model.rules.flatMap((r) => (r.kind !== 'behaviour' && r.when !== null ? [{ id: r.id, when: r.when }] : []));
  if (withConditions.length === 0) return new Map();
  const compiled = await new SegmentDefinitions().compileAll(em, withConditions.map((r) => r.when as unknown as Record<string, unknown>), now);
  return new Map(withConditions.map((r, i) => [r.id, compiled[i]]));
}

/** A lead sales recycled to nurture does not become an MQL again by its score for this long. */
export const RECYCLE_COOLDOWN_DAYS = 30;

/**
 * Moves each lead from the stage read to its new one, only if it is still there (and, to MQL,
 * not recycled by sales in the last `RECYCLE_COOLDOWN_DAYS`), and records each move actually
 * made as a `stage_changed` event caused by the score.
 */
async function moveStages(em: EntityManager, planned: RescoreOutcome['moved'], version: number, now: Date): Promise<RescoreOutcome['moved']> {
  const payload = JSON.stringify(planned.map((p) => ({ lead_id: p.leadId, from_stage: p.from, to_stage: p.to })));
  const updated = await em.execute<{ id: string }[]>(
    `update leads l set lifecycle_stage = m.to_stage, updated_at = now()
       from jsonb_to_recordset(?::jsonb) as m(lead_id uuid, from_stage text, to_stage text)
      where l.id = m.lead_id and l.lifecycle_stage = m.from_stage
        and not (m.to_stage = 'mql' and exists (
          select 1 from handoffs h where h.lead_id = l.id and h.status = 'rejected' and h.disposition = 'recycle'
             and h.decided_at > now() - make_interval(days => ?)))
     returning l.id`,
    [payload, RECYCLE_COOLDOWN_DAYS],
  );
  const done = new Set(updated.map((r) => String(r.id)));
  const moved = planned.filter((p) => done.has(p.leadId));
  if (moved.length === 0) return moved;
  await em.execute(
    `insert into lead_events (id, created_at, lead_id, type, occurred_at, data)
     select gen_random_uuid(), now(), lead_id, 'stage_changed', ?::timestamptz,
            jsonb_build_object('from', from_stage, 'to', to_stage, 'source', 'scoring', 'cause', 'score', 'score', score, 'modelVersion', ?::int)
       from unnest(?::uuid[], ?::text[], ?::text[], ?::int[]) as m(lead_id, from_stage, to_stage, score)`,
    [now.toISOString(), version, arrayLiteral(moved.map((m) => m.leadId)), arrayLiteral(moved.map((m) => m.from)), arrayLiteral(moved.map((m) => m.to)), `{${moved.map((m) => m.score).join(',')}}`],
  );
  return moved;
}
