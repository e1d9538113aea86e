import { sigmoid } from './logistic-function';
import type { PredictiveModel } from './predictive-model.types';

/**
 * The log-odds that a lead converts: intercept + Σ weight · (value − mean) / std. Throws a
 * RangeError when the lead does not have one finite value per feature of the model.
 */
export function logOdds(model: PredictiveModel, features: readonly number[]): number {
  if (features.length !== model.featureNames.length) {
    throw new RangeError(`expected ${model.featureNames.length} feature values, got ${features.length}`);
  }
  let z = model.intercept;
  features.forEach((v, j) => {
    if (!Number.isFinite(v)) throw new RangeError(`feature ${j} is not a finite number`);
    z += (model.weights[j] * (v - model.means[j])) / model.stds[j];
  });
  return z;
}

/** The probability, between 0 and 1, that a lead with these feature values converts. */
export function predict(model: PredictiveModel, features: readonly number[]): number {
  return sigmoid(logOdds(model, features));
}

/** A model's weights on the features' own scale: log-odds = intercept + Σ weights[j] · value[j]. */
export interface OriginalScaleWeights {
  /** The change in log-odds per unit of each feature (0 for a feature that never varied). */
  weights: number[];
  /** The log-odds of a lead whose every feature is 0. */
  intercept: number;
}

/**
 * Expresses the standardised weights on the features' own scale (weight / std, with the means
 * folded into the intercept), e.g. to show that one more email click adds so much to the log-odds.
 * The predictions are the same either way.
 */
export function originalScaleWeights(model: PredictiveModel): OriginalScaleWeights {
  const weights = model.weights.map((w, j) => w / model.stds[j]);
  const intercept = weights.reduce((sum, w, j) => sum - w * model.means[j], model.intercept);
  return { weights, intercept };
}
