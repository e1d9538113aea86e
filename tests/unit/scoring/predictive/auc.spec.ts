import { rocAuc } from '@ce/scoring/predictive';

describe('rocAuc', () => {
  it('counts the converted leads ranked above the non-converted ones (3 of 4 pairs)', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it('is 1 when every converted lead scores higher', () => {
    expect(rocAuc([0.1, 0.2, 0.7, 0.9], [0, 0, 1, 1])).toBe(1);
  });

  it('is 0 when the ranking is exactly backwards', () => {
    expect(rocAuc([0.9, 0.7, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  it('is 0.5 when every lead has the same score', () => {
    expect(rocAuc([0.3, 0.3, 0.3, 0.3, 0.3], [0, 1, 0, 1, 1])).toBe(0.5);
  });

  it('counts a tie between a converted and a non-converted lead as half a pair', () => {
    // Pairs (positive, negative): (0.5, 0.2) win, (0.5, 0.5) half, (0.9, 0.2) win, (0.9, 0.5) win → 3.5 / 4.
    expect(rocAuc([0.2, 0.5, 0.5, 0.9], [0, 0, 1, 1])).toBe(0.875);
    // A converted lead tied with two non-converted ones: of 6 pairs, 4 wins and 2 halves → 5/6.
    expect(rocAuc([0.1, 0.4, 0.4, 0.4, 0.8], [0, 0, 1, 0, 1])).toBeCloseTo(5 / 6, 12);
    // Ties among leads of the same class change nothing.
    expect(rocAuc([0.1, 0.5, 0.5], [0, 1, 1])).toBe(1);
  });

  it('does not depend on the order the leads come in', () => {
    expect(rocAuc([0.8, 0.35, 0.1, 0.4], [1, 1, 0, 0])).toBe(0.75);
  });

  it('is null when the leads lack converted or non-converted ones', () => {
    expect(rocAuc([0.1, 0.9], [1, 1])).toBeNull();
    expect(rocAuc([0.1, 0.9], [0, 0])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
  });

  it('refuses scores and labels of different lengths', () => {
    expect(() => rocAuc([0.1, 0.2], [1])).toThrow(RangeError);
  });
});
