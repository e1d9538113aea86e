import { checkDataSufficiency, DEFAULT_DATA_MINIMUMS } from '@ce/scoring/predictive';

const labelled = (positives: number, negatives: number): { label: 0 | 1 }[] => [
  ...Array.from({ length: positives }, () => ({ label: 1 as const })),
  ...Array.from({ length: negatives }, () => ({ label: 0 as const })),
];

describe('checkDataSufficiency', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_DATA_MINIMUMS).toEqual({ rows: 50, positives: 20, negatives: 20, heldOutPositives: 5, heldOutNegatives: 5 });
  });

  it('accepts 20 converted and 30 non-converted leads', () => {
    expect(checkDataSufficiency(labelled(20, 30))).toEqual({ sufficient: true });
  });

  it('says how many converted leads there are and how many are needed', () => {
    expect(checkDataSufficiency(labelled(12, 100))).toEqual({
      sufficient: false,
      reasons: ['12 converted leads; at least 20 are needed to fit a predictive score.'],
    });
  });

  it('says so when too few leads did not convert', () => {
    expect(checkDataSufficiency(labelled(100, 1))).toEqual({
      sufficient: false,
      reasons: ['1 lead that did not convert; at least 20 are needed to fit a predictive score.'],
    });
  });

  it('says so when there are too few leads overall', () => {
    expect(checkDataSufficiency(labelled(22, 22))).toEqual({
      sufficient: false,
      reasons: ['44 leads with a known outcome; at least 50 are needed to fit a predictive score.'],
    });
  });

  it('lists every shortfall of an empty history', () => {
    expect(checkDataSufficiency([])).toEqual({
      sufficient: false,
      reasons: [
        '0 leads with a known outcome; at least 50 are needed to fit a predictive score.',
        '0 converted leads; at least 20 are needed to fit a predictive score.',
        '0 leads that did not convert; at least 20 are needed to fit a predictive score.',
      ],
    });
  });

  it('says when the held-out part would be too small to measure the score', () => {
    // 20 converted × 0.1 = 2 held out.
    expect(checkDataSufficiency(labelled(20, 200), { heldOutFraction: 0.1 })).toEqual({
      sufficient: false,
      reasons: ['Only 2 converted leads would be set aside to measure the score; at least 5 are needed.'],
    });
  });

  it('uses the minimums the caller sets', () => {
    const minimums = { rows: 10, positives: 5, negatives: 5, heldOutPositives: 1, heldOutNegatives: 1 };
    expect(checkDataSufficiency(labelled(5, 5), { minimums })).toEqual({ sufficient: true });
    expect(checkDataSufficiency(labelled(4, 60), { minimums: { positives: 5 } })).toEqual({
      sufficient: false,
      reasons: ['4 converted leads; at least 5 are needed to fit a predictive score.'],
    });
  });
});
