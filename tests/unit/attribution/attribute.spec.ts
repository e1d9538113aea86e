import { apportion, ATTRIBUTION_MODELS, attributeConversion, HEURISTIC_MODELS, Touch } from '@ce/attribution';

const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');
const touch = (id: string, day: number, channel = 'email'): Touch => ({ id, channel, at: T0 + day * DAY });

describe('apportion', () => {
  it('splits minor units by shares into whole units that add up exactly, leftovers to the largest remainders', () => {
    expect(apportion(100n, [1 / 3, 1 / 3, 1 / 3])).toEqual([34n, 33n, 33n]);
    expect(apportion(1000n, [1 / 7, 2 / 7, 4 / 7])).toEqual([143n, 286n, 571n]);
    expect(apportion(1n, [0.5, 0.5])).toEqual([1n, 0n]);
    expect(apportion(0n, [0.25, 0.75])).toEqual([0n, 0n]);
    expect(apportion(-100n, [1 / 3, 2 / 3])).toEqual([-33n, -67n]);
    expect(apportion(12_345_678_901_234n, [0.1, 0.2, 0.7]).reduce((a, b) => a + b, 0n)).toBe(12_345_678_901_234n);
  });
});

describe('attributeConversion', () => {
  const touches = [touch('old', -120), touch('a', -30, 'paid_search'), touch('b', -10, 'social'), touch('c', -1, 'email'), touch('later', 2, 'direct')];
  const conversion = { at: T0, valueMinor: 9_999n };
  const weights = { markov: new Map([['paid_search', 0.5], ['social', 0.25], ['email', 0.25]]), shapley: new Map([['email', 1]]) };

  it('uses only the touches in the 90-day look-back window before the conversion', () => {
    const rows = attributeConversion(conversion, touches, { weights });
    expect(new Set(rows.map((r) => r.touchId))).toEqual(new Set(['a', 'b', 'c']));
    expect(attributeConversion(conversion, touches, { lookbackMs: 15 * DAY }).map((r) => r.touchId)).not.toContain('a');
  });

  it('gives every model\'s credits a sum of 1 and its revenue a sum of exactly the value', () => {
    const rows = attributeConversion(conversion, touches, { weights });
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set(ATTRIBUTION_MODELS));
    for (const model of ATTRIBUTION_MODELS) {
      const mine = rows.filter((r) => r.model === model);
      expect(mine.reduce((s, r) => s + r.credit, 0)).toBeCloseTo(1, 12);
      expect(mine.reduce((s, r) => s + r.revenueMinor, 0n)).toBe(9_999n);
    }
  });

  it('gives a conversion without value credits and zero revenue', () => {
    const rows = attributeConversion({ at: T0, valueMinor: 0n }, touches);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.revenueMinor === 0n)).toBe(true);
    for (const model of HEURISTIC_MODELS) expect(rows.filter((r) => r.model === model).reduce((s, r) => s + r.credit, 0)).toBeCloseTo(1, 12);
  });

  it('skips the data-driven models until their weights exist, and credits nothing without touches in the window', () => {
    expect(new Set(attributeConversion(conversion, touches).map((r) => r.model))).toEqual(new Set(HEURISTIC_MODELS));
    expect(attributeConversion(conversion, [touch('old', -120)])).toEqual([]);
  });
});
