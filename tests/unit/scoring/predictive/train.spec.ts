import { predict, rocAuc, splitTrainHeldOut, trainPredictiveModel } from '@ce/scoring/predictive';
import { syntheticLeads, TRUE_MODEL } from './synthetic-leads';

const featureNames = TRUE_MODEL.featureNames;

describe('trainPredictiveModel', () => {
  const leads = syntheticLeads(800, 'history');

  it('fits on the training part and measures the AUC on the held-out part', () => {
    const outcome = trainPredictiveModel(leads, { featureNames, seed: 'model-1' });
    if (outcome.status !== 'trained') throw new Error(outcome.reason);
    const positives = leads.filter((l) => l.label === 1).length;
    expect(outcome.positives).toBe(positives);
    expect(outcome.negatives).toBe(800 - positives);
    expect(outcome.trainRows + outcome.heldOutRows).toBe(800);
    expect(outcome.heldOutPositives).toBe(Math.round(positives * 0.25));
    expect(outcome.heldOutNegatives).toBe(Math.round((800 - positives) * 0.25));
    expect(outcome.model.training.rows).toBe(outcome.trainRows);

    // The AUC is the one of the model's scores on exactly the held-out leads of the same split.
    const { heldOut } = splitTrainHeldOut(leads, { seed: 'model-1' });
    const expected = rocAuc(heldOut.map((l) => predict(outcome.model, l.features)), heldOut.map((l) => l.label));
    expect(outcome.auc).toBe(expected);
    expect(outcome.auc).toBeGreaterThan(0.75);
  });

  it('gives the same model and AUC for the same leads and seed', () => {
    const one = trainPredictiveModel(leads, { featureNames, seed: 7 });
    const two = trainPredictiveModel(leads, { featureNames, seed: 7 });
    expect(two).toEqual(one);
  });

  it('scores no better than chance when the outcome has nothing to do with the features', () => {
    const noise = syntheticLeads(2_000, 'noise').map((l, i) => ({ ...l, label: (i % 3 === 0 ? 1 : 0) as 0 | 1 }));
    const outcome = trainPredictiveModel(noise, { featureNames });
    if (outcome.status !== 'trained') throw new Error(outcome.reason);
    expect(Math.abs((outcome.auc ?? 0) - 0.5)).toBeLessThan(0.06);
  });

  it('says plainly why it cannot fit when there are too few converted leads', () => {
    const few = [...leads.filter((l) => l.label === 0).slice(0, 60), ...leads.filter((l) => l.label === 1).slice(0, 12)];
    expect(trainPredictiveModel(few, { featureNames })).toEqual({
      status: 'insufficient_data',
      reason: '12 converted leads; at least 20 are needed to fit a predictive score.',
      reasons: ['12 converted leads; at least 20 are needed to fit a predictive score.'],
      rows: 72,
      positives: 12,
      negatives: 60,
    });
  });

  it('passes the fit options and minimums through', () => {
    const outcome = trainPredictiveModel(leads.slice(0, 30), {
      featureNames,
      lambda: 3,
      heldOutFraction: 0.5,
      minimums: { rows: 10, positives: 5, negatives: 5, heldOutPositives: 2, heldOutNegatives: 2 },
    });
    if (outcome.status !== 'trained') throw new Error(outcome.reason);
    expect(outcome.model.lambda).toBe(3);
    expect(outcome.heldOutRows).toBe(15);
  });

  it('refuses rows that do not match the feature names', () => {
    expect(() => trainPredictiveModel([{ features: [1, 2], label: 1 }], { featureNames })).toThrow(RangeError);
  });
});
