import { rocAuc } from './auc';
import { checkDataSufficiency, DataMinimums } from './data-sufficiency';
import { fitLogisticRegression, FitOptions } from './logistic-regression';
import { predict } from './predict';
import type { PredictiveModel } from './predictive-model.types';
import { SplitOptions, splitTrainHeldOut } from './split';
import { assertTrainingRows, countLabels, TrainingRow } from './training-rows';

/** Everything {@link trainPredictiveModel} needs besides the rows. */
export interface TrainOptions extends FitOptions, SplitOptions {
  /** The features' names, one per feature value of each row. */
  featureNames: readonly string[];
  /** Overrides of the default data minimums (DEFAULT_DATA_MINIMUMS). */
  minimums?: Partial<DataMinimums>;
}

/** A model was fitted on the training part and measured on the held-out part. */
export interface TrainedOutcome {
  status: 'trained';
  model: PredictiveModel;
  /** ROC AUC of the model on the held-out leads; null only if they lack a class (minimums set to 0). */
  auc: number | null;
  trainRows: number;
  heldOutRows: number;
  /** Converted leads in all the rows. */
  positives: number;
  /** Leads that did not convert in all the rows. */
  negatives: number;
  heldOutPositives: number;
  heldOutNegatives: number;
}

/** There was too little data; `reason` says why in words a user can read. */
export interface InsufficientDataOutcome {
  status: 'insufficient_data';
  /** All the reasons in one text. */
  reason: string;
  reasons: string[];
  rows: number;
  positives: number;
  negatives: number;
}

/** What {@link trainPredictiveModel} gives back. */
export type TrainingOutcome = TrainedOutcome | InsufficientDataOutcome;

/**
 * Trains a predictive lead score from historical leads: checks there are enough of them, splits
 * them (stratified, seeded) into a training and a held-out part, fits a penalised logistic
 * regression on the training part and measures its ROC AUC on the held-out part. The model is
 * fitted on the training part only, so the AUC is an honest estimate for leads it has not seen.
 * Throws a RangeError when rows are malformed (wrong number of values, not finite, label not 0/1).
 */
export function trainPredictiveModel(rows: readonly TrainingRow[], options: TrainOptions): TrainingOutcome {
  const { featureNames, minimums, heldOutFraction, seed, ...fit } = options;
  assertTrainingRows(rows, featureNames.length);
  const { positives, negatives } = countLabels(rows);
  const sufficiency = checkDataSufficiency(rows, { minimums, heldOutFraction });
  if (!sufficiency.sufficient) {
    const { reasons } = sufficiency;
    return { status: 'insufficient_data', reason: reasons.join(' '), reasons, rows: rows.length, positives, negatives };
  }

  const { train, heldOut } = splitTrainHeldOut(rows, { heldOutFraction, seed });
  const model = fitLogisticRegression(train, featureNames, fit);
  const scores = heldOut.map((row) => predict(model, row.features));
  const labels = heldOut.map((row) => row.label);
  const held = countLabels(heldOut);
  return {
    status: 'trained',
    model,
    auc: rocAuc(scores, labels),
    trainRows: train.length,
    heldOutRows: heldOut.length,
    positives,
    negatives,
    heldOutPositives: held.positives,
    heldOutNegatives: held.negatives,
  };
}
