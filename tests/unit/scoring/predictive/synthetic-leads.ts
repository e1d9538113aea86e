import { seededRandom, sigmoid, TrainingRow } from '@ce/scoring/predictive';

/** The true model behind {@link syntheticLeads}: log-odds = intercept + Σ weights · features. */
export const TRUE_MODEL = {
  featureNames: ['email_clicks', 'is_enterprise', 'days_since_visit'],
  intercept: -1,
  weights: [0.3, 1.5, -0.4],
};

/**
 * Leads drawn from {@link TRUE_MODEL} with a seeded generator: clicks uniform on 0..10,
 * enterprise with chance 0.4, days since the last visit normal around 5 (sd 2); each converts
 * with the model's probability.
 */
export function syntheticLeads(count: number, seed: string): TrainingRow[] {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: count }, () => {
    const features = [Math.floor(random() * 11), random() < 0.4 ? 1 : 0, 5 + 2 * normal()];
    const z = features.reduce((sum, v, j) => sum + TRUE_MODEL.weights[j] * v, TRUE_MODEL.intercept);
    return { features, label: random() < sigmoid(z) ? 1 : 0 };
  });
}
