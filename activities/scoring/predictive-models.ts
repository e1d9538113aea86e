import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral, AttributeDefinition, PredictiveModelVersion } from '@ce/db';
import { PredictiveModel, predict, trainPredictiveModel } from '@ce/scoring/predictive';
import { currentFeatureRows, DeclaredAttribute, FeatureSpec, featureNames, featureSpecOf, featureVector, trainingRows } from './predictive-features';

/** Leads a training looks at, at most (a fixed sample when there are more). */
export const MAX_TRAINING_ROWS = 200_000;

/** The predictive model that scores leads: the latest trained version. */
export interface CurrentPredictiveModel {
  version: number;
  spec: FeatureSpec;
  model: PredictiveModel;
}

/** What a training stored. */
export interface PredictiveTraining {
  version: number;
  status: 'trained' | 'insufficient_data';
  auc: number | null;
  rows: number;
  positives: number;
  reason: string | null;
}

export async function currentPredictiveModel(em: EntityManager): Promise<CurrentPredictiveModel | null> {
  const [row] = await em.find(PredictiveModelVersion, { status: 'trained' }, { orderBy: { version: 'desc' }, limit: 1 });
  if (!row?.model) return null;
  const stored = row.model as unknown as { spec: FeatureSpec; model: PredictiveModel };
  return { version: row.version, spec: stored.spec, model: stored.model };
}

/**
 * Trains the predictive score on up to `maxRows` leads (converted or not, with their features
 * as of their first conversion or now) and stores the outcome as the next version: the model
 * and its AUC on held-out leads, or why there was too little data.
 */
export async function trainAndStore(em: EntityManager, maxRows = MAX_TRAINING_ROWS): Promise<PredictiveTraining> {
  const rows = await trainingRows(em, maxRows);
  const declared = await em.find(AttributeDefinition, {}, { fields: ['name', 'type', 'options'] });
  const attributes: DeclaredAttribute[] = declared.map((a) => ({ name: a.name, type: a.type, options: (a.options as string[] | null) ?? null }));
  const spec = featureSpecOf(rows, attributes);
  const names = featureNames(spec);
  const outcome = trainPredictiveModel(
    rows.map((r) => ({ features: featureVector(spec, r), label: r.converted ? 1 : 0 })),
    { featureNames: names },
  );
  return em.transactional(async (tx) => {
    await tx.execute('lock table predictive_models in share row exclusive mode');
    const [{ next }] = await tx.execute<{ next: number }[]>('select coalesce(max(version), 0) + 1 as next from predictive_models');
    const version = Number(next);
    if (outcome.status === 'trained') {
      tx.create(PredictiveModelVersion, {
        version,
        status: 'trained',
        auc: outcome.auc,
        rows: outcome.trainRows + outcome.heldOutRows,
        positives: outcome.positives,
        trainRows: outcome.trainRows,
        heldOutRows: outcome.heldOutRows,
        model: { spec, model: outcome.model } as unknown as Record<string, unknown>,
      });
      return { version, status: 'trained' as const, auc: outcome.auc, rows: outcome.trainRows + outcome.heldOutRows, positives: outcome.positives, reason: null };
    }
    tx.create(PredictiveModelVersion, { version, status: 'insufficient_data', reason: outcome.reason, rows: outcome.rows, positives: outcome.positives });
    return { version, status: 'insufficient_data' as const, auc: null, rows: outcome.rows, positives: outcome.positives, reason: outcome.reason };
  });
}

/** Works out and stores the leads' predicted chance to convert, as of now, under `current`. */
export async function storePredictions(em: EntityManager, leadIds: readonly string[], current: CurrentPredictiveModel): Promise<void> {
  const rows = await currentFeatureRows(em, leadIds, current.spec.windowDays);
  if (rows.length === 0) return;
  const ids = rows.map((r) => String(r.id));
  const chances = rows.map((r) => predict(current.model, featureVector(current.spec, r)));
  await em.execute(
    `insert into lead_scores (lead_id, model_version, score, contributions, scored_at, predicted, predictive_version)
     select l.id, null, l.score, '[]'::jsonb, now(), p.chance, ?::int
       from unnest(?::uuid[], ?::float8[]) as p(lead_id, chance) join leads l on l.id = p.lead_id
     on conflict (lead_id) do update set predicted = excluded.predicted, predictive_version = excluded.predictive_version`,
    [current.version, arrayLiteral(ids), `{${chances.join(',')}}`],
  );
}
