import { solveSymmetric } from './linear-solve';
import { sigmoid, softplus } from './logistic-function';
import type { PredictiveModel } from './predictive-model.types';
import { fitStandardisation, standardise } from './standardise';
import { assertTrainingRows, countLabels, TrainingRow } from './training-rows';

/** How hard to penalise large weights and when to stop the Newton steps. */
export interface FitOptions {
  /**
   * The L2 penalty λ: the fit minimises the log-loss summed over rows plus λ/2 · Σ w², on the
   * standardised weights; the intercept is not penalised. λ = 1/C in scikit-learn's terms.
   */
  lambda?: number;
  /** The most Newton steps to take. */
  maxIterations?: number;
  /** Stop once no parameter moves by more than this (relative to the largest parameter, plus 1). */
  tolerance?: number;
}

/** The defaults of {@link FitOptions}. */
export const FIT_DEFAULTS: Required<FitOptions> = { lambda: 1, maxIterations: 100, tolerance: 1e-8 };

/** Halvings of a Newton step before giving up on making the loss smaller. */
const MAX_HALVINGS = 40;

/**
 * Fits a logistic regression of conversion on the features by Newton's method (iteratively
 * reweighted least squares) with an L2 penalty on the standardised weights. Features are
 * standardised on these rows first; a feature that never varies gets weight 0. With λ > 0 the
 * weights stay finite even when the rows are perfectly separable; with λ = 0 on such rows the
 * fit stops at a large but finite model and reports that it did not converge.
 * Throws a RangeError when the rows are malformed or lack either converted or non-converted leads.
 */
export function fitLogisticRegression(
  rows: readonly TrainingRow[],
  featureNames: readonly string[],
  options: FitOptions = {},
): PredictiveModel {
  const { lambda, maxIterations, tolerance } = { ...FIT_DEFAULTS, ...options };
  if (!(lambda >= 0 && Number.isFinite(lambda))) throw new RangeError('lambda must be a finite number ≥ 0');
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) throw new RangeError('maxIterations must be a whole number ≥ 1');
  if (!(tolerance > 0)) throw new RangeError('tolerance must be > 0');
  const d = featureNames.length;
  assertTrainingRows(rows, d);
  const { positives, negatives } = countLabels(rows);
  if (positives === 0 || negatives === 0) throw new RangeError('a fit needs both converted and non-converted leads');

  const scaling = fitStandardisation(rows.map((r) => r.features), d);
  const active = scaling.constant.flatMap((isConstant, j) => (isConstant ? [] : [j]));
  // The design matrix: a column of 1s for the intercept, then the varying standardised features.
  const x = rows.map((r) => {
    const z = standardise(r.features, scaling);
    return [1, ...active.map((j) => z[j])];
  });
  const y = rows.map((r) => r.label);
  const p = active.length + 1;
  const penalty = (j: number) => (j === 0 ? 0 : lambda);
  const loss = (beta: readonly number[]) => penalisedLoss(x, y, beta, lambda);

  let beta = new Array<number>(p).fill(0);
  beta[0] = Math.log(positives / negatives);
  let iterations = 0;
  let converged = false;
  for (let it = 1; it <= maxIterations; it++) {
    const gradient = beta.map((b, j) => penalty(j) * b);
    const hessian = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? penalty(j) : 0)));
    x.forEach((row, i) => {
      const prob = sigmoid(dot(row, beta));
      const residual = prob - y[i];
      const weight = prob * (1 - prob);
      for (let a = 0; a < p; a++) {
        gradient[a] += row[a] * residual;
        const wa = weight * row[a];
        for (let b = 0; b <= a; b++) hessian[a][b] += wa * row[b];
      }
    });
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) hessian[b][a] = hessian[a][b];
    const step = solveSymmetric(hessian, gradient);
    const size = maxAbs(step);
    if (size <= tolerance * (1 + maxAbs(beta))) {
      beta = beta.map((b, j) => b - step[j]);
      iterations = it;
      converged = true;
      break;
    }
    // Backtracking line search: halve the step until the penalised loss falls enough (Armijo).
    const before = loss(beta);
    const slope = -dot(gradient, step);
    let accepted: number[] | null = null;
    for (let t = 1, k = 0; k < MAX_HALVINGS; t /= 2, k++) {
      const candidate = beta.map((b, j) => b - t * step[j]);
      if (loss(candidate) <= before + 1e-4 * t * slope) {
        accepted = candidate;
        break;
      }
    }
    if (!accepted) break;
    beta = accepted;
    iterations = it;
  }

  const weights = new Array<number>(d).fill(0);
  active.forEach((j, k) => (weights[j] = beta[k + 1]));
  return {
    featureNames: [...featureNames],
    means: scaling.means,
    stds: scaling.stds,
    weights,
    intercept: beta[0],
    lambda,
    training: { iterations, converged, rows: rows.length, positives },
  };
}

/** Σ log-loss + λ/2 · Σ w² (the intercept, beta[0], unpenalised). */
function penalisedLoss(x: readonly number[][], y: readonly number[], beta: readonly number[], lambda: number): number {
  let total = 0;
  x.forEach((row, i) => {
    const z = dot(row, beta);
    total += softplus(z) - y[i] * z;
  });
  for (let j = 1; j < beta.length; j++) total += (lambda / 2) * beta[j] * beta[j];
  return total;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(v: readonly number[]): number {
  let m = 0;
  for (const e of v) m = Math.max(m, Math.abs(e));
  return m;
}
