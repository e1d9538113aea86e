import { FlowStep, splitBucket } from '@ce/flows';
import { controlStep, stepContext } from '../flow-kit';

const split = controlStep('split');

const variants = (...percents: number[]) => percents.map((percent, i) => ({ percent, next: `v${i}` }));
const splitStep = (...percents: number[]): FlowStep => ({ type: 'split', variants: variants(...percents) });

/** Deterministic lead ids shaped like the real ones (UUIDs). */
const leadIds = (count: number) => Array.from({ length: count }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

describe('split step: settings', () => {
  it('accepts whole percentages that add up to 100', () => {
    expect(split.validate(splitStep(50, 50))).toEqual([]);
    expect(split.validate({ type: 'split', variants: [{ name: 'A', percent: 90, next: 'a' }, { percent: 10, next: null }] })).toEqual([]);
  });

  it.each([
    [[33.33, 33.33, 33.34]],
    [[1.1, 98.9]],
    [[0.5, 99.5]],
  ])('accepts percentages with up to two decimals such as %p', (percents) => {
    expect(split.validate(splitStep(...percents))).toEqual([]);
  });

  it.each([[undefined], [variants(100)], [variants(...Array.from({ length: 21 }, () => 5))]])('reports variants that are not 2 to 20 (%#)', (list) => {
    expect(split.validate({ type: 'split', variants: list })).toEqual([{ path: 'variants', message: 'must list 2 to 20 variants' }]);
  });

  it('reports percentages that do not add up to 100', () => {
    expect(split.validate(splitStep(50, 40))).toEqual([{ path: 'variants', message: 'percentages add up to 90, not 100' }]);
    expect(split.validate(splitStep(60, 60))).toEqual([{ path: 'variants', message: 'percentages add up to 120, not 100' }]);
  });

  it.each([0, -10, 100.5, 33.333, '50', Number.NaN])('reports the percent %p at its variant', (percent) => {
    expect(split.validate({ type: 'split', variants: [{ percent, next: 'a' }, { percent: 50, next: 'b' }] })).toEqual([
      { path: 'variants[0].percent', message: 'must be a number above 0 and at most 100, with at most two decimals' },
    ]);
  });

  it('reports a variant that is not an object, or has no next, at its index', () => {
    expect(split.validate({ type: 'split', variants: ['a', { percent: 50 }, { percent: 50, next: 7 }] })).toEqual([
      { path: 'variants[0]', message: 'must be an object with percent and next' },
      { path: 'variants[1].next', message: 'must be a step id or null' },
      { path: 'variants[2].next', message: 'must be a step id or null' },
    ]);
  });

  it('reports a next on the step itself and settings it does not know', () => {
    expect(split.validate({ ...splitStep(50, 50), next: 'after', seed: 3 })).toEqual([
      { path: 'seed', message: 'is not a setting of split steps' },
      { path: 'next', message: 'a split continues through its variants, not next' },
    ]);
  });

  it('leads to every variant\'s next', () => {
    expect(split.successors({ type: 'split', variants: [{ percent: 50, next: 'a' }, { percent: 50, next: null }] })).toEqual(['a']);
    expect(split.holds).toBeFalsy();
  });
});

describe('split step: choosing a variant', () => {
  it('gives each lead a bucket from 0 to 9999 that depends only on the lead and the step', () => {
    for (const lead of leadIds(200)) {
      const bucket = splitBucket(lead, 'ab');
      expect(Number.isInteger(bucket) && bucket >= 0 && bucket < 10_000).toBe(true);
      expect(splitBucket(lead, 'ab')).toBe(bucket);
    }
    const buckets = leadIds(200).map((lead) => [splitBucket(lead, 'ab'), splitBucket(lead, 'subject')]);
    expect(buckets.filter(([a, b]) => a !== b).length).toBeGreaterThan(190);
  });

  it('sends the same lead down the same variant every time, and by bucket: below 5000 the first of 50/50', () => {
    const step = splitStep(50, 50);
    for (const lead of leadIds(100)) {
      const first = split.enter!(step, stepContext({ leadId: lead, stepId: 'ab' }));
      expect(split.enter!(step, stepContext({ leadId: lead, stepId: 'ab', now: 0 }))).toEqual(first);
      expect(first).toEqual({ kind: 'goto', next: splitBucket(lead, 'ab') < 5_000 ? 'v0' : 'v1' });
    }
  });

  it.each([
    [[50, 50]],
    [[20, 30, 50]],
    [[90, 10]],
    [[33.33, 33.33, 33.34]],
  ])('sends 10,000 leads down %p within two points of each percentage', (percents) => {
    const step = splitStep(...percents);
    const counts = new Map<string, number>();
    for (const lead of leadIds(10_000)) {
      const outcome = split.enter!(step, stepContext({ leadId: lead, stepId: 'ab' }));
      if (outcome.kind !== 'goto' || outcome.next === null) throw new Error('a split goes to a variant');
      counts.set(outcome.next, (counts.get(outcome.next) ?? 0) + 1);
    }
    percents.forEach((percent, i) => {
      expect(Math.abs(((counts.get(`v${i}`) ?? 0) / 10_000) * 100 - percent)).toBeLessThanOrEqual(2);
    });
  });

  it('ends the flow for leads whose variant has next null', () => {
    const step: FlowStep = { type: 'split', variants: [{ percent: 50, next: 'a' }, { percent: 50, next: null }] };
    const outcomes = leadIds(50).map((lead) => split.enter!(step, stepContext({ leadId: lead, stepId: 'holdout' })));
    expect(outcomes).toContainEqual({ kind: 'goto', next: null });
    expect(outcomes).toContainEqual({ kind: 'goto', next: 'a' });
  });
});
