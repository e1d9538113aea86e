/**
 * A fitted predictive lead score: a logistic regression on standardised features. It is plain
 * JSON (numbers, strings, booleans), so it can be stored as it is and read back unchanged.
 */
export interface PredictiveModel {
  /** The features' names, in the order the feature values come in. */
  featureNames: string[];
  /** Each feature's mean on the training rows. */
  means: number[];
  /** Each feature's standard deviation on the training rows; 1 for a feature that never varied. */
  stds: number[];
  /** The weight of each standardised feature, (value − mean) / std; 0 for a feature that never varied. */
  weights: number[];
  /** The log-odds of converting for a lead whose every feature is at its mean. */
  intercept: number;
  /** The L2 penalty the weights were fitted with (on the standardised weights). */
  lambda: number;
  training: TrainingStats;
}

/** How the fit went. */
export interface TrainingStats {
  /** Newton steps taken. */
  iterations: number;
  /** Whether the steps became smaller than the tolerance before the iteration limit. */
  converged: boolean;
  /** Rows the model was fitted on. */
  rows: number;
  /** Converted leads among them. */
  positives: number;
}
