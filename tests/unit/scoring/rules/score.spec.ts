import { ADJUSTMENTS_ID, behaviourPoints, DAY_MS, decayWeight, scoreLead, stageAfterScore, StageThresholds } from '@ce/scoring';
import { behaviourRule, daysAgo, factsOf, fitRule, inactivityRule, LEAD_ID, modelOf, NOW } from './scoring-kit';

describe('decayWeight', () => {
  it('is 1 at any age without a half-life', () => {
    expect(decayWeight(0, null)).toBe(1);
    expect(decayWeight(400 * DAY_MS, null)).toBe(1);
  });

  it('is exactly one half at one half-life and one quarter at two', () => {
    expect(decayWeight(0, 7)).toBe(1);
    expect(decayWeight(7 * DAY_MS, 7)).toBe(0.5);
    expect(decayWeight(14 * DAY_MS, 7)).toBe(0.25);
    expect(decayWeight(DAY_MS / 2, 0.5)).toBe(0.5);
  });

  it('counts a touchpoint stamped in the future whole', () => {
    expect(decayWeight(-3 * DAY_MS, 7)).toBe(1);
  });
});

describe('behaviourPoints', () => {
  it('is the points times the sum of the weights', () => {
    expect(behaviourPoints({ points: 10, cap: null }, 1.75)).toBe(17.5);
    expect(behaviourPoints({ points: -4, cap: null }, 2.5)).toBe(-10);
  });

  it('holds the total to the cap, also when the points are negative', () => {
    expect(behaviourPoints({ points: 10, cap: 15 }, 1.75)).toBe(15);
    expect(behaviourPoints({ points: -10, cap: 15 }, 1.75)).toBe(-15);
    expect(behaviourPoints({ points: 10, cap: 50 }, 1.75)).toBe(17.5);
  });
});

describe('scoreLead: fit rules', () => {
  const model = modelOf(fitRule());

  it('adds the points of a rule whose condition holds', () => {
    expect(scoreLead(model, factsOf({ holds: { 'from-de': true } }), NOW)).toEqual({
      leadId: LEAD_ID,
      score: 10,
      contributions: [{ ruleId: 'from-de', kind: 'fit', name: 'From Germany', points: 10 }],
    });
  });

  it('adds nothing for a rule whose condition does not hold', () => {
    expect(scoreLead(model, factsOf({ holds: { 'from-de': false } }), NOW)).toEqual({ leadId: LEAD_ID, score: 0, contributions: [] });
    expect(scoreLead(model, factsOf(), NOW)).toEqual({ leadId: LEAD_ID, score: 0, contributions: [] });
  });
});

describe('scoreLead: behaviour rules', () => {
  // Three clicks today, a week ago and two weeks ago under a one-week half-life: 1 + 0.5 + 0.25.
  const weight = [0, 7, 14].reduce((sum, age) => sum + decayWeight(age * DAY_MS, 7), 0);

  it('gives the points of each touchpoint by its decayed weight', () => {
    expect(weight).toBe(1.75);
    const model = modelOf(behaviourRule({ halfLifeDays: 7 }));
    expect(scoreLead(model, factsOf({ touches: { clicks: { count: 3, weight } } }), NOW)).toEqual({
      leadId: LEAD_ID,
      score: 18,
      contributions: [{ ruleId: 'clicks', kind: 'behaviour', name: 'Clicked an email', points: 17.5, events: 3 }],
    });
  });

  it('holds the rule to its cap and says so', () => {
    const model = modelOf(behaviourRule({ halfLifeDays: 7, cap: 15 }));
    expect(scoreLead(model, factsOf({ touches: { clicks: { count: 3, weight } } }), NOW).contributions).toEqual([
      { ruleId: 'clicks', kind: 'behaviour', name: 'Clicked an email', points: 15, events: 3, capped: true },
    ]);
  });

  it('holds negative behaviour points to minus the cap', () => {
    const model = modelOf(behaviourRule({ id: 'complaints', name: 'Complained', points: -10, cap: 15 }));
    const result = scoreLead(model, factsOf({ touches: { complaints: { count: 2, weight: 2 } } }), NOW);
    expect(result.score).toBe(-15);
    expect(result.contributions).toEqual([{ ruleId: 'complaints', kind: 'behaviour', name: 'Complained', points: -15, events: 2, capped: true }]);
  });

  it('does not say capped when the total only reaches the cap', () => {
    const model = modelOf(behaviourRule({ points: 5, cap: 15 }));
    expect(scoreLead(model, factsOf({ touches: { clicks: { count: 3, weight: 3 } } }), NOW).contributions).toEqual([
      { ruleId: 'clicks', kind: 'behaviour', name: 'Clicked an email', points: 15, events: 3 },
    ]);
  });

  it('leaves out a rule without matching touchpoints', () => {
    const model = modelOf(behaviourRule());
    expect(scoreLead(model, factsOf({ touches: { clicks: { count: 0, weight: 0 } } }), NOW).contributions).toEqual([]);
    expect(scoreLead(model, factsOf(), NOW).contributions).toEqual([]);
  });
});

describe('scoreLead: inactivity', () => {
  const model = modelOf(inactivityRule());
  const inactive = [{ ruleId: 'inactive', kind: 'negative', name: 'Went quiet', points: -15 }];

  it('takes points from a lead whose last touch is older than the inactive days', () => {
    const result = scoreLead(model, factsOf({ createdAt: daysAgo(100), lastTouchAt: daysAgo(61) }), NOW);
    expect(result.score).toBe(-15);
    expect(result.contributions).toEqual(inactive);
  });

  it('counts a last touch exactly the inactive days ago as inactive', () => {
    expect(scoreLead(model, factsOf({ createdAt: daysAgo(100), lastTouchAt: daysAgo(60) }), NOW).contributions).toEqual(inactive);
  });

  it('takes nothing from a lead touched more recently', () => {
    expect(scoreLead(model, factsOf({ createdAt: daysAgo(100), lastTouchAt: daysAgo(59) }), NOW)).toEqual({ leadId: LEAD_ID, score: 0, contributions: [] });
  });

  it('does not count a lead inactive for longer than it has existed', () => {
    expect(scoreLead(model, factsOf({ createdAt: daysAgo(30), lastTouchAt: null }), NOW).contributions).toEqual([]);
    expect(scoreLead(model, factsOf({ createdAt: daysAgo(61), lastTouchAt: null }), NOW).contributions).toEqual(inactive);
  });
});

describe('scoreLead: a negative rule with a condition', () => {
  it('takes its points while the condition holds', () => {
    const model = modelOf(inactivityRule({ id: 'unsubscribed', name: 'Unsubscribed', points: -50, when: { consent: 'email', status: 'unsubscribed' }, inactiveDays: null }));
    expect(scoreLead(model, factsOf({ holds: { unsubscribed: true } }), NOW).score).toBe(-50);
    expect(scoreLead(model, factsOf({ holds: { unsubscribed: false } }), NOW).score).toBe(0);
  });
});

describe('scoreLead: points from flows', () => {
  it('adds them as their own line', () => {
    const result = scoreLead(modelOf(), factsOf({ adjusted: 7 }), NOW);
    expect(ADJUSTMENTS_ID).toBe('adjustments');
    expect(result).toEqual({ leadId: LEAD_ID, score: 7, contributions: [{ ruleId: 'adjustments', kind: 'adjustment', name: 'Points from flows', points: 7 }] });
  });

  it('has no line when flows gave nothing', () => {
    expect(scoreLead(modelOf(), factsOf({ adjusted: 0 }), NOW).contributions).toEqual([]);
  });
});

describe('scoreLead: the explanation and the total', () => {
  it('lists the largest effect first, then by rule id', () => {
    const model = modelOf(
      fitRule({ id: 'b-title', name: 'Title', points: 20 }),
      fitRule({ id: 'a-industry', name: 'Industry', points: 20 }),
      fitRule({ id: 'small', name: 'Small', points: 5 }),
      inactivityRule({ points: -30 }),
      behaviourRule({ points: 10 }),
    );
    const facts = factsOf({
      createdAt: daysAgo(200),
      holds: { 'b-title': true, 'a-industry': true, small: true },
      touches: { clicks: { count: 1, weight: 0.5 } },
      adjusted: -12,
    });
    const result = scoreLead(model, facts, NOW);
    expect(result.contributions.map((c) => [c.ruleId, c.points])).toEqual([
      ['inactive', -30],
      ['a-industry', 20],
      ['b-title', 20],
      ['adjustments', -12],
      ['clicks', 5],
      ['small', 5],
    ]);
    expect(result.score).toBe(8);
  });

  it('rounds a total of 12.5 to 13 and of -12.5 to -13 (halves away from zero)', () => {
    const up = modelOf(fitRule(), behaviourRule({ points: 5, halfLifeDays: 7 }));
    expect(scoreLead(up, factsOf({ holds: { 'from-de': true }, touches: { clicks: { count: 1, weight: 0.5 } } }), NOW).score).toBe(13);
    const down = modelOf(fitRule({ points: -10 }), behaviourRule({ points: -5, halfLifeDays: 7 }));
    expect(scoreLead(down, factsOf({ holds: { 'from-de': true }, touches: { clicks: { count: 1, weight: 0.5 } } }), NOW).score).toBe(-13);
  });

  it('never gives a score of -0', () => {
    const model = modelOf(behaviourRule({ points: -1 }));
    const result = scoreLead(model, factsOf({ touches: { clicks: { count: 1, weight: 0.4 } } }), NOW);
    expect(Object.is(result.score, 0)).toBe(true);
  });

  it('rounds each contribution to 2 decimals, halves away from zero', () => {
    const model = modelOf(behaviourRule({ id: 'a', points: 10 }), behaviourRule({ id: 'b', points: -10 }), behaviourRule({ id: 'c', points: 1 }), behaviourRule({ id: 'd', points: -1 }));
    const third = { count: 1, weight: 1 / 3 };
    const eighth = { count: 1, weight: 0.125 };
    const result = scoreLead(model, factsOf({ touches: { a: third, b: third, c: eighth, d: eighth } }), NOW);
    expect(result.contributions.map((c) => [c.ruleId, c.points])).toEqual([
      ['a', 3.33],
      ['b', -3.33],
      ['c', 0.13],
      ['d', -0.13],
    ]);
    expect(result.score).toBe(0);
  });
});

describe('stageAfterScore', () => {
  const thresholds: StageThresholds = { lead: 20, mql: 50 };

  it('makes a subscriber or a lead at or above the MQL threshold an MQL', () => {
    expect(stageAfterScore('subscriber', 50, thresholds)).toBe('mql');
    expect(stageAfterScore('subscriber', 80, thresholds)).toBe('mql');
    expect(stageAfterScore('lead', 50, thresholds)).toBe('mql');
  });

  it('makes a subscriber at or above the lead threshold but below MQL a lead', () => {
    expect(stageAfterScore('subscriber', 20, thresholds)).toBe('lead');
    expect(stageAfterScore('subscriber', 49, thresholds)).toBe('lead');
    expect(stageAfterScore('subscriber', 19, thresholds)).toBeNull();
  });

  it('leaves a lead below the MQL threshold where it is', () => {
    expect(stageAfterScore('lead', 49, thresholds)).toBeNull();
    expect(stageAfterScore('lead', -10, thresholds)).toBeNull();
  });

  it.each(['mql', 'sql', 'opportunity', 'customer', 'disqualified'])('never moves a lead at stage %s', (stage) => {
    expect(stageAfterScore(stage, 1000, thresholds)).toBeNull();
    expect(stageAfterScore(stage, -1000, thresholds)).toBeNull();
  });

  it('never makes a subscriber a lead by score without a lead threshold', () => {
    const mqlOnly: StageThresholds = { lead: null, mql: 50 };
    expect(stageAfterScore('subscriber', 49, mqlOnly)).toBeNull();
    expect(stageAfterScore('subscriber', 50, mqlOnly)).toBe('mql');
  });
});

describe('scoreLead: no negative zero', () => {
  it('shows a line that rounds to nothing as 0, not -0', () => {
    const rule = { id: 'faint', kind: 'behaviour' as const, name: 'Faint', points: -1, event: {}, cap: null, halfLifeDays: null, lookbackDays: 365 };
    const facts = { leadId: 'l', createdAt: new Date('2030-01-01T00:00:00Z'), lastTouchAt: null, holds: {}, touches: { faint: { count: 1, weight: 0.001 } }, adjusted: 0 };
    const [line] = scoreLead({ rules: [rule], thresholds: { lead: null, mql: 10 } }, facts, new Date('2030-01-02T00:00:00Z')).contributions;
    expect(Object.is(line.points, 0)).toBe(true);
  });
});
