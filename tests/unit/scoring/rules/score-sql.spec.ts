import { factsOfRow, leadFactsSql, LeadFactsRow, ruleTouchpointsSql, scoreLead } from '@ce/scoring';
import { CompiledSegment, compileSegment, SegmentCondition } from '@ce/segments';
import { behaviourRule, CAMPAIGN, daysAgo, fitRule, inactivityRule, LEAD_ID, modelOf, NOW } from './scoring-kit';

const OTHER_LEAD = '22222222-0000-4000-8000-000000000002';
const EVIL = "x'); drop table leads; --";
const placeholders = (text: string) => text.split('?').length - 1;

const compile = (when: SegmentCondition) => compileSegment(when, { attributes: new Map(), now: NOW, segments: () => undefined });

const fromEvil = fitRule({ id: 'from-evil', when: { field: 'company', op: 'eq', value: EVIL } });
const unsubscribed = inactivityRule({ id: 'unsubscribed', name: 'Unsubscribed', points: -50, when: { consent: 'email', status: 'unsubscribed' }, inactiveDays: null });
const pricing = behaviourRule({
  id: 'pricing',
  name: 'Visited pricing',
  points: 5,
  event: { type: ['visit', 'page_view'], channel: ['web', 'paid_search'], campaignId: CAMPAIGN, properties: { path: `/pricing${EVIL}` } },
  cap: 50,
  halfLifeDays: 7,
  lookbackDays: 90,
});
const clicks = behaviourRule({ lookbackDays: 400 });
const inactive = inactivityRule();

const model = modelOf(fromEvil, pricing, unsubscribed, clicks, inactive);
const conditions = new Map<string, CompiledSegment>([
  [fromEvil.id, compile(fromEvil.when)],
  [unsubscribed.id, compile(unsubscribed.when as SegmentCondition)],
]);

/** Every value a user put in the model or the call, as it must reach the database. */
const USER_VALUES = ['visit', 'page_view', 'paid_search', CAMPAIGN, EVIL, '/pricing', LEAD_ID, OTHER_LEAD, NOW.toISOString()];

describe('leadFactsSql', () => {
  const statement = leadFactsSql(model, conditions, [LEAD_ID, OTHER_LEAD], NOW);

  it('writes values only as ? placeholders, one per parameter', () => {
    expect(statement.sql).not.toMatch(/\$\d/);
    expect(placeholders(statement.sql)).toBe(statement.params.length);
  });

  it('never puts a user value into the SQL text', () => {
    for (const value of USER_VALUES) expect(statement.sql).not.toContain(value);
  });

  it('passes every user value as a parameter', () => {
    const params = statement.params.map(String);
    expect(params).toContain(EVIL);
    expect(params).toContain('{visit,page_view}');
    expect(params).toContain('{web,paid_search}');
    expect(params).toContain(CAMPAIGN);
    expect(params).toContain(JSON.stringify({ path: `/pricing${EVIL}` }));
    expect(params).toContain(`{${LEAD_ID},${OTHER_LEAD}}`);
    expect(params).toContain(NOW.toISOString());
    // The look-back windows: each rule's, and the longest one for the touchpoints read.
    expect(statement.params).toContain(90);
    expect(statement.params).toContain(400);
    // The half-life, in seconds.
    expect(statement.params).toContain(7 * 86_400);
  });

  it('carries the compiled conditions with their parameters', () => {
    for (const compiled of conditions.values()) {
      for (const param of compiled.params) expect(statement.params).toContainEqual(param);
    }
  });

  it('reads touchpoints through a lateral join only when the model has behaviour rules', () => {
    expect(statement.sql).toMatch(/lateral/i);
    const noBehaviour = leadFactsSql(modelOf(fromEvil, unsubscribed, inactive), conditions, [LEAD_ID], NOW);
    expect(noBehaviour.sql).not.toMatch(/lateral/i);
    expect(placeholders(noBehaviour.sql)).toBe(noBehaviour.params.length);
    for (const value of [EVIL, LEAD_ID, NOW.toISOString()]) expect(noBehaviour.sql).not.toContain(value);
  });

  it('refuses a rule whose condition was not compiled', () => {
    expect(() => leadFactsSql(model, new Map(), [LEAD_ID], NOW)).toThrow('The condition of rule from-evil was not compiled');
  });
});

describe('ruleTouchpointsSql', () => {
  const statement = ruleTouchpointsSql(pricing, LEAD_ID, NOW, 25);

  it('writes values only as ? placeholders, one per parameter, and none in the text', () => {
    expect(statement.sql).not.toMatch(/\$\d/);
    expect(placeholders(statement.sql)).toBe(statement.params.length);
    for (const value of USER_VALUES) expect(statement.sql).not.toContain(value);
  });

  it('passes the lead, the rule match, the time and the limit as parameters', () => {
    expect(statement.params).toEqual(
      expect.arrayContaining([LEAD_ID, '{visit,page_view}', '{web,paid_search}', CAMPAIGN, JSON.stringify({ path: `/pricing${EVIL}` }), NOW.toISOString(), 90, 25]),
    );
  });

  it('leaves out the filters a rule does not have', () => {
    const any = ruleTouchpointsSql(behaviourRule({ event: {} }), LEAD_ID, NOW, 10);
    expect(placeholders(any.sql)).toBe(any.params.length);
    expect(any.params).toEqual(expect.arrayContaining([LEAD_ID, NOW.toISOString(), 365, 10]));
    expect(any.params).toHaveLength(4);
  });
});

describe('factsOfRow', () => {
  const row: LeadFactsRow = {
    lead_id: LEAD_ID,
    created_at: '2025-01-01T00:00:00.000Z',
    lifecycle_stage: 'subscriber',
    score: 0,
    h0: true,
    n1: '3',
    w1: 1.75,
    h2: false,
    n3: '0',
    w3: '0',
    last_touch_at: daysAgo(61),
    adjusted: '7',
  };

  it('maps a row to the lead facts, column by rule position', () => {
    expect(factsOfRow(model, row)).toEqual({
      leadId: LEAD_ID,
      createdAt: new Date('2025-01-01T00:00:00.000Z'),
      lastTouchAt: daysAgo(61),
      holds: { 'from-evil': true, unsubscribed: false },
      touches: { pricing: { count: 3, weight: 1.75 }, clicks: { count: 0, weight: 0 } },
      adjusted: 7,
    });
  });

  it('reads a missing or null condition column as not holding and no last touch as null', () => {
    const facts = factsOfRow(model, { ...row, h0: null, h2: undefined, last_touch_at: null, adjusted: 0 });
    expect(facts.holds).toEqual({ 'from-evil': false, unsubscribed: false });
    expect(facts.lastTouchAt).toBeNull();
    expect(facts.adjusted).toBe(0);
  });

  it('reads timestamps given as text', () => {
    const facts = factsOfRow(model, { ...row, last_touch_at: '2025-05-01T08:30:00.000Z' });
    expect(facts.lastTouchAt).toEqual(new Date('2025-05-01T08:30:00.000Z'));
  });

  it('gives facts that score as the rules say', () => {
    const result = scoreLead(model, factsOfRow(model, row), NOW);
    // from-evil 10, pricing 5 × 1.75 = 8.75, inactive −15 (last touch 61 days ago) and 7 from flows.
    expect(result.contributions.map((c) => [c.ruleId, c.points])).toEqual([
      ['inactive', -15],
      ['from-evil', 10],
      ['pricing', 8.75],
      ['adjustments', 7],
    ]);
    expect(result.score).toBe(11);
  });
});
