import { heuristicCredits, HEURISTIC_MODELS, Touch, TouchCredit } from '@ce/attribution';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const touch = (id: string, day: number, extra: Partial<Touch> = {}): Touch => ({ id, channel: extra.channel ?? 'email', at: T0 + day * DAY, ...extra });
const credits = (list: TouchCredit[]) => Object.fromEntries(list.map((c) => [c.touchId, c.credit]));
const sum = (list: TouchCredit[]) => list.reduce((s, c) => s + c.credit, 0);

describe('heuristicCredits', () => {
  const three = [touch('t3', 14, { channel: 'paid_search' }), touch('t1', 0, { channel: 'email' }), touch('t2', 7, { channel: 'direct', direct: true })];
  const at = { conversionAt: T0 + 14 * DAY };

  it('gives all to the first touch, or the last, whatever order the touches come in', () => {
    expect(credits(heuristicCredits('first_touch', three, at))).toEqual({ t1: 1 });
    expect(credits(heuristicCredits('last_touch', three, at))).toEqual({ t3: 1 });
  });

  it('passes over direct touches for last non-direct, and falls back to the last touch when all are direct', () => {
    const endsDirect = [touch('a', 0, { channel: 'social' }), touch('b', 1, { channel: 'direct', direct: true }), touch('c', 2, { channel: 'direct', direct: true })];
    expect(credits(heuristicCredits('last_non_direct', endsDirect, at))).toEqual({ a: 1 });
    const allDirect = [touch('a', 0, { direct: true }), touch('b', 1, { direct: true })];
    expect(credits(heuristicCredits('last_non_direct', allDirect, at))).toEqual({ b: 1 });
  });

  it('shares linearly', () => {
    expect(credits(heuristicCredits('linear', three, at))).toEqual({ t1: 1 / 3, t2: 1 / 3, t3: 1 - 2 / 3 });
  });

  it('halves a touch\'s weight for every half-life before the conversion (7 days by default)', () => {
    // Weights 2^-2, 2^-1, 2^0 = 1/4, 1/2, 1: credits 1/7, 2/7, 4/7.
    const got = credits(heuristicCredits('time_decay', three, at));
    expect(got.t1).toBeCloseTo(1 / 7, 12);
    expect(got.t2).toBeCloseTo(2 / 7, 12);
    expect(got.t3).toBeCloseTo(4 / 7, 12);
    // A one-day half-life: 2^-14, 2^-7, 1.
    const fast = credits(heuristicCredits('time_decay', three, { ...at, halfLifeMs: DAY }));
    const total = 2 ** -14 + 2 ** -7 + 1;
    expect(fast.t1).toBeCloseTo(2 ** -14 / total, 12);
    expect(fast.t3).toBeCloseTo(1 / total, 12);
  });

  it('gives position-based 40/20/40, half each to two touches, all to one', () => {
    const four = [touch('a', 0), touch('b', 1), touch('c', 2), touch('d', 3)];
    expect(credits(heuristicCredits('position_based', four, at))).toEqual({ a: 0.4, b: 0.1, c: 0.1, d: expect.closeTo(0.4, 12) });
    expect(credits(heuristicCredits('position_based', three, at))).toEqual({ t1: 0.4, t2: 0.2, t3: expect.closeTo(0.4, 12) });
    expect(credits(heuristicCredits('position_based', four.slice(0, 2), at))).toEqual({ a: 0.5, b: 0.5 });
    expect(credits(heuristicCredits('position_based', four.slice(0, 1), at))).toEqual({ a: 1 });
  });

  it('gives W-shaped 30 % to the first, lead-creation and opportunity-creation touches and 10 % to the rest', () => {
    const five = [touch('a', 0), touch('b', 1), touch('c', 2, { leadCreation: true }), touch('d', 3, { opportunityCreation: true }), touch('e', 4)];
    const got = credits(heuristicCredits('w_shaped', five, at));
    expect(got).toEqual({ a: 0.3, b: 0.05, c: 0.3, d: 0.3, e: expect.closeTo(0.05, 12) });
  });

  it('gives W-shaped\'s unfilled roles to the other touches, and scales the roles up when there are none', () => {
    // No opportunity yet: its 30 % joins the 10 % for the one other touch.
    const noOpportunity = [touch('a', 0), touch('b', 1, { leadCreation: true }), touch('c', 2)];
    const got = credits(heuristicCredits('w_shaped', noOpportunity, at));
    expect(got.a).toBeCloseTo(0.3, 12);
    expect(got.b).toBeCloseTo(0.3, 12);
    expect(got.c).toBeCloseTo(0.4, 12);
    // The first touch created the lead, the second the opportunity: 60 % and 30 %, scaled to 2/3 and 1/3.
    const two = [touch('a', 0, { leadCreation: true }), touch('b', 1, { opportunityCreation: true })];
    const scaled = credits(heuristicCredits('w_shaped', two, at));
    expect(scaled.a).toBeCloseTo(2 / 3, 12);
    expect(scaled.b).toBeCloseTo(1 / 3, 12);
  });

  it('orders touches at the same instant by id, so ties always go the same way', () => {
    const tied = [touch('b', 0, { channel: 'social' }), touch('a', 0, { channel: 'email' })];
    expect(credits(heuristicCredits('first_touch', tied, at))).toEqual({ a: 1 });
    expect(credits(heuristicCredits('last_touch', tied, at))).toEqual({ b: 1 });
    expect(credits(heuristicCredits('time_decay', tied, at))).toEqual({ a: 0.5, b: 0.5 });
  });

  it('counts a channel touched twice as two touches, and gives one touch everything under every model', () => {
    const repeated = [touch('a', 0, { channel: 'email' }), touch('b', 1, { channel: 'email' }), touch('c', 2, { channel: 'social' })];
    expect(credits(heuristicCredits('linear', repeated, at))).toEqual({ a: 1 / 3, b: 1 / 3, c: expect.closeTo(1 / 3, 12) });
    for (const model of HEURISTIC_MODELS) expect(heuristicCredits(model, [touch('only', 3)], at)).toEqual([{ touchId: 'only', credit: 1 }]);
  });

  it('makes every conversion\'s credits sum to exactly 1 under every model, and gives nothing without touches', () => {
    const many = Array.from({ length: 17 }, (_, i) => touch(`t${i}`, i * 0.37, { channel: ['email', 'social', 'direct'][i % 3], direct: i % 3 === 2, leadCreation: i === 4, opportunityCreation: i === 11 }));
    for (const model of HEURISTIC_MODELS) {
      const list = heuristicCredits(model, many, { conversionAt: T0 + 9 * DAY });
      expect(sum(list)).toBe(1);
      expect(list.every((c) => c.credit > 0)).toBe(true);
      expect(heuristicCredits(model, [], at)).toEqual([]);
    }
  });
});
