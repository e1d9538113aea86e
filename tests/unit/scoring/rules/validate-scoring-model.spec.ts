import { SCORING_LIMITS, validateScoringModel } from '@ce/scoring';

const CAMPAIGN = 'cccccccc-0000-4000-8000-00000000000c';
const COUNTRY_IS_DE = { field: 'country', op: 'eq', value: 'DE' };

const fitWith = (overrides: Record<string, unknown> = {}) => ({ id: 'from-de', kind: 'fit', name: 'From Germany', points: 10, when: COUNTRY_IS_DE, ...overrides });
const behaviour = (overrides: Record<string, unknown> = {}) => ({ id: 'clicks', kind: 'behaviour', name: 'Clicked', points: 5, event: { type: ['click'] }, ...overrides });
const negative = (overrides: Record<string, unknown> = {}) => ({ id: 'inactive', kind: 'negative', name: 'Went quiet', points: -15, inactiveDays: 60, ...overrides });

/** The problems of a model made of these rules (and valid thresholds unless given). */
const problemsOf = (rules: unknown, thresholds: unknown = { mql: 100 }) => validateScoringModel({ rules, thresholds }).problems;
const problemsOfRule = (rule: unknown) => problemsOf([rule]);

describe('validateScoringModel: a valid model', () => {
  it('comes back with every default filled in and no problems', () => {
    const check = validateScoringModel({
      rules: [
        fitWith({ name: '  From Germany  ' }),
        { id: 'pricing_visits', kind: 'behaviour', name: 'Visited pricing', points: 5, event: { type: 'visit', channel: ['web'], campaignId: CAMPAIGN.toUpperCase(), properties: { path: '/pricing' } } },
        { id: 'email-clicks', kind: 'behaviour', name: 'Clicked an email', points: 3, event: { type: ['click'], channel: ['email'] }, cap: 30, halfLifeDays: 7, lookbackDays: 90 },
        { id: 'unsubscribed', kind: 'negative', name: 'Unsubscribed', points: -50, when: { consent: 'email', status: 'unsubscribed' } },
        negative(),
      ],
      thresholds: { mql: 100 },
    });

    expect(check.problems).toEqual([]);
    expect(check.model).toEqual({
      rules: [
        { id: 'from-de', kind: 'fit', name: 'From Germany', points: 10, when: COUNTRY_IS_DE },
        {
          id: 'pricing_visits',
          kind: 'behaviour',
          name: 'Visited pricing',
          points: 5,
          event: { type: ['visit'], channel: ['web'], campaignId: CAMPAIGN, properties: { path: '/pricing' } },
          cap: null,
          halfLifeDays: null,
          lookbackDays: 365,
        },
        { id: 'email-clicks', kind: 'behaviour', name: 'Clicked an email', points: 3, event: { type: ['click'], channel: ['email'] }, cap: 30, halfLifeDays: 7, lookbackDays: 90 },
        { id: 'unsubscribed', kind: 'negative', name: 'Unsubscribed', points: -50, when: { consent: 'email', status: 'unsubscribed' }, inactiveDays: null },
        { id: 'inactive', kind: 'negative', name: 'Went quiet', points: -15, when: null, inactiveDays: 60 },
      ],
      thresholds: { lead: null, mql: 100 },
    });
  });

  it('keeps a lead threshold equal to the MQL threshold', () => {
    expect(validateScoringModel({ rules: [], thresholds: { lead: 100, mql: 100 } }).model?.thresholds).toEqual({ lead: 100, mql: 100 });
  });

  it('accepts the limits themselves: 200 rules, ±1000 points, 64-character ids, a cap equal to the points', () => {
    const rules = Array.from({ length: SCORING_LIMITS.maxRules }, (_, i) => fitWith({ id: `r${i}` }));
    expect(problemsOf(rules)).toEqual([]);
    expect(problemsOfRule(fitWith({ points: 1000 }))).toEqual([]);
    expect(problemsOfRule(fitWith({ points: -1000 }))).toEqual([]);
    expect(problemsOfRule(fitWith({ id: 'a'.repeat(64) }))).toEqual([]);
    expect(problemsOfRule(behaviour({ points: -5, cap: 5 }))).toEqual([]);
    expect(problemsOfRule(behaviour({ halfLifeDays: 0.5, lookbackDays: 3650 }))).toEqual([]);
  });
});

describe('validateScoringModel: the model and its rules list', () => {
  it('refuses what is not an object, with the model null', () => {
    for (const input of [null, [], 'model']) {
      expect(validateScoringModel(input)).toEqual({ model: null, problems: [{ path: '', message: 'must be an object with rules and thresholds' }], conditions: [] });
    }
  });

  it('names an unknown top-level key', () => {
    const check = validateScoringModel({ rules: [], thresholds: { mql: 10 }, version: 2 });
    expect(check.model).toBeNull();
    expect(check.problems).toEqual([{ path: 'version', message: 'is not a known key' }]);
  });

  it('refuses rules that are not a list', () => {
    expect(problemsOf({ a: fitWith() })).toEqual([{ path: 'rules', message: 'must be a list of rules' }]);
    expect(validateScoringModel({ thresholds: { mql: 10 } }).problems).toEqual([{ path: 'rules', message: 'must be a list of rules' }]);
  });

  it('refuses more than 200 rules', () => {
    const rules = Array.from({ length: SCORING_LIMITS.maxRules + 1 }, (_, i) => fitWith({ id: `r${i}` }));
    expect(problemsOf(rules)).toEqual([{ path: 'rules', message: 'must have at most 200 rules' }]);
  });

  it('refuses a rule that is not an object', () => {
    expect(problemsOf([fitWith(), 'clicks'])).toEqual([{ path: 'rules[1]', message: 'must be a rule: an object with id, kind, name and points' }]);
  });

  it('refuses an unknown kind', () => {
    expect(problemsOfRule(fitWith({ kind: 'bonus' }))).toEqual([{ path: 'rules[0].kind', message: 'must be one of fit, behaviour, negative' }]);
    expect(problemsOfRule(fitWith({ kind: undefined }))).toEqual([{ path: 'rules[0].kind', message: 'must be one of fit, behaviour, negative' }]);
  });

  it('names keys that do not belong to the kind of rule', () => {
    expect(problemsOfRule(fitWith({ cap: 10 }))).toEqual([{ path: 'rules[0].cap', message: 'is not a key of a fit rule' }]);
    expect(problemsOfRule(behaviour({ when: COUNTRY_IS_DE }))).toEqual([{ path: 'rules[0].when', message: 'is not a key of a behaviour rule' }]);
    expect(problemsOfRule(negative({ halfLifeDays: 7 }))).toEqual([{ path: 'rules[0].halfLifeDays', message: 'is not a key of a negative rule' }]);
  });

  it('collects every problem of a model at once, each at its path', () => {
    expect(problemsOf([fitWith({ id: 'A', points: 0 }), behaviour({ cap: 2 })], { mql: 0 })).toEqual([
      { path: 'rules[0].id', message: 'must be 1 to 64 lower-case letters, digits, - or _, starting with a letter or digit' },
      { path: 'rules[0].points', message: 'must be a whole number from -1000 to 1000, not 0' },
      { path: 'rules[1].cap', message: 'must be at least the points of one touchpoint' },
      { path: 'thresholds.mql', message: 'must be a whole number from 1 to 1000000' },
    ]);
  });
});

describe('validateScoringModel: id, name and points', () => {
  const BAD_ID = 'must be 1 to 64 lower-case letters, digits, - or _, starting with a letter or digit';

  it.each([
    ['upper case', 'Pricing'],
    ['65 characters', 'a'.repeat(65)],
    ['a leading dash', '-pricing'],
    ['a space', 'pricing page'],
    ['empty', ''],
    ['not text', 7],
  ])('refuses an id with %s', (_what, id) => {
    expect(problemsOfRule(fitWith({ id }))).toEqual([{ path: 'rules[0].id', message: BAD_ID }]);
  });

  it('refuses a missing id', () => {
    expect(problemsOfRule(fitWith({ id: undefined }))).toEqual([{ path: 'rules[0].id', message: BAD_ID }]);
  });

  it('refuses a repeated id and names the rule that has it first', () => {
    expect(problemsOf([fitWith(), behaviour(), fitWith({ name: 'Also from Germany' })])).toEqual([{ path: 'rules[2].id', message: 'repeats the id of rules[0]' }]);
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['201 characters', 'x'.repeat(201)],
    ['not text', 12],
  ])('refuses a name that is %s', (_what, name) => {
    expect(problemsOfRule(fitWith({ name }))).toEqual([{ path: 'rules[0].name', message: 'must be text of 1 to 200 characters' }]);
  });

  it.each([0, 2.5, 1001, -1001, '10', null])('refuses %p points', (points) => {
    expect(problemsOfRule(fitWith({ points }))).toEqual([{ path: 'rules[0].points', message: 'must be a whole number from -1000 to 1000, not 0' }]);
  });

  it('refuses positive points on a negative rule', () => {
    expect(problemsOfRule(negative({ points: 5 }))).toEqual([{ path: 'rules[0].points', message: 'must be below 0 in a negative rule' }]);
  });
});

describe('validateScoringModel: behaviour rules', () => {
  it('refuses a cap below the points of one touchpoint, whatever their sign', () => {
    const message = 'must be at least the points of one touchpoint';
    expect(problemsOfRule(behaviour({ points: 5, cap: 4 }))).toEqual([{ path: 'rules[0].cap', message }]);
    expect(problemsOfRule(behaviour({ points: -5, cap: 4 }))).toEqual([{ path: 'rules[0].cap', message }]);
  });

  it.each([0, -7, 3651, '7'])('refuses a half-life of %p days', (halfLifeDays) => {
    expect(problemsOfRule(behaviour({ halfLifeDays }))).toEqual([{ path: 'rules[0].halfLifeDays', message: 'must be a number of days above 0, at most 3650' }]);
  });

  it.each([0, 3651, 30.5, '90'])('refuses a look-back of %p days', (lookbackDays) => {
    expect(problemsOfRule(behaviour({ lookbackDays }))).toEqual([{ path: 'rules[0].lookbackDays', message: 'must be a whole number from 1 to 3650' }]);
  });

  it.each([
    ['missing', undefined],
    ['a word', 'click'],
    ['a list', [{ type: 'click' }]],
  ])('refuses an event that is %s', (_what, event) => {
    expect(problemsOfRule(behaviour({ event }))).toEqual([
      { path: 'rules[0].event', message: 'must be an object saying which touchpoints count (type, channel, campaignId, properties)' },
    ]);
  });

  it('names an unknown key of the event', () => {
    expect(problemsOfRule(behaviour({ event: { type: ['visit'], path: '/pricing' } }))).toEqual([{ path: 'rules[0].event.path', message: 'is not a known key' }]);
  });

  it('refuses a touchpoint type or channel that is not a lower-case word, at the item that is wrong', () => {
    const message = 'must be a lower-case word of at most 32 letters, digits and _ (such as paid_search)';
    expect(problemsOfRule(behaviour({ event: { type: 'Click' } }))).toEqual([{ path: 'rules[0].event.type', message }]);
    expect(problemsOfRule(behaviour({ event: { type: ['click', 'Form_Submit'] } }))).toEqual([{ path: 'rules[0].event.type[1]', message }]);
    expect(problemsOfRule(behaviour({ event: { channel: ['email', 'paid-search', 7] } }))).toEqual([
      { path: 'rules[0].event.channel[1]', message },
      { path: 'rules[0].event.channel[2]', message },
    ]);
    expect(problemsOfRule(behaviour({ event: { type: ['a'.repeat(33)] } }))).toEqual([{ path: 'rules[0].event.type[0]', message }]);
  });

  it('refuses an empty list of types or more than 50', () => {
    const message = 'must be a name or a list of 1 to 50 names';
    expect(problemsOfRule(behaviour({ event: { type: [] } }))).toEqual([{ path: 'rules[0].event.type', message }]);
    expect(problemsOfRule(behaviour({ event: { channel: Array.from({ length: 51 }, (_, i) => `c${i}`) } }))).toEqual([{ path: 'rules[0].event.channel', message }]);
  });

  it('refuses a campaign id that is not a UUID', () => {
    expect(problemsOfRule(behaviour({ event: { campaignId: 'spring-launch' } }))).toEqual([{ path: 'rules[0].event.campaignId', message: 'must be a campaign id (a UUID)' }]);
  });

  it.each([
    ['empty', {}],
    ['a list', ['/pricing']],
    ['text', '/pricing'],
  ])('refuses properties that are %s', (_what, properties) => {
    expect(problemsOfRule(behaviour({ event: { properties } }))).toEqual([
      { path: 'rules[0].event.properties', message: 'must be a non-empty object of the property values to match' },
    ]);
  });
});

describe('validateScoringModel: conditions', () => {
  it('refuses a negative rule with both a condition and inactiveDays, or with neither', () => {
    const message = 'must have either when (a condition) or inactiveDays, not both';
    expect(problemsOfRule(negative({ when: COUNTRY_IS_DE }))).toEqual([{ path: 'rules[0]', message }]);
    expect(problemsOfRule(negative({ inactiveDays: undefined }))).toEqual([{ path: 'rules[0]', message }]);
    expect(problemsOfRule(negative({ inactiveDays: null, when: null }))).toEqual([{ path: 'rules[0]', message }]);
  });

  it.each([0, 3651, 1.5])('refuses %p inactive days', (inactiveDays) => {
    expect(problemsOfRule(negative({ inactiveDays }))).toEqual([{ path: 'rules[0].inactiveDays', message: 'must be a whole number from 1 to 3650' }]);
  });

  it('refuses a fit rule without a condition', () => {
    expect(problemsOfRule(fitWith({ when: undefined }))).toEqual([{ path: 'rules[0].when', message: 'must be a condition' }]);
  });

  it('refuses conditions on the fields scoring sets, at the exact path, however deeply nested', () => {
    const message = 'tests a field that scoring sets (score, lifecycleStage, ownerId, updatedAt)';
    expect(problemsOfRule(fitWith({ when: { field: 'score', op: 'gte', value: 50 } }))).toEqual([{ path: 'rules[0].when.field', message }]);
    expect(problemsOfRule(fitWith({ when: { all: [COUNTRY_IS_DE, { field: 'score', op: 'gte', value: 50 }] } }))).toEqual([{ path: 'rules[0].when.all[1].field', message }]);
    expect(
      problemsOf([fitWith(), fitWith({ id: 'not-mql', when: { not: { any: [COUNTRY_IS_DE, { field: 'lifecycleStage', op: 'eq', value: 'mql' }] } } })]),
    ).toEqual([{ path: 'rules[1].when.not.any[1].field', message }]);
    expect(
      problemsOfRule({ id: 'stale', kind: 'negative', name: 'Stale', points: -5, when: { all: [{ field: 'updatedAt', op: 'lt', value: { ago: '90d' } }, { any: [{ field: 'ownerId', op: 'exists', value: false }] }] } }),
    ).toEqual([
      { path: 'rules[0].when.all[0].field', message },
      { path: 'rules[0].when.all[1].any[0].field', message },
    ]);
  });

  it('lists each rule condition with its path and leaves the segment language to the caller', () => {
    const unknownField = { field: 'favouriteColour', op: 'eq', value: 'blue' };
    const unsubscribed = { consent: 'email', status: 'unsubscribed' };
    const check = validateScoringModel({
      rules: [fitWith({ when: unknownField }), behaviour(), negative(), negative({ id: 'unsubscribed', when: unsubscribed, inactiveDays: undefined })],
      thresholds: { mql: 100 },
    });
    expect(check.problems).toEqual([]);
    expect(check.model).not.toBeNull();
    expect(check.conditions).toEqual([
      { path: 'rules[0].when', condition: unknownField },
      { path: 'rules[3].when', condition: unsubscribed },
    ]);
  });
});

describe('validateScoringModel: thresholds', () => {
  it('refuses missing thresholds', () => {
    expect(validateScoringModel({ rules: [] }).problems).toEqual([{ path: 'thresholds', message: 'must be an object with mql (and lead)' }]);
    expect(problemsOf([], 100)).toEqual([{ path: 'thresholds', message: 'must be an object with mql (and lead)' }]);
  });

  it.each([undefined, null, 0, 12.5, '100', 1_000_001])('refuses an MQL threshold of %p', (mql) => {
    expect(problemsOf([], { mql })).toEqual([{ path: 'thresholds.mql', message: 'must be a whole number from 1 to 1000000' }]);
  });

  it.each([0, 2.5, '20'])('refuses a lead threshold of %p', (lead) => {
    expect(problemsOf([], { lead, mql: 100 })).toEqual([{ path: 'thresholds.lead', message: 'must be a whole number from 1 to 1000000' }]);
  });

  it('refuses a lead threshold above the MQL threshold', () => {
    expect(problemsOf([], { lead: 101, mql: 100 })).toEqual([{ path: 'thresholds.lead', message: 'must not be above thresholds.mql' }]);
  });

  it('names an unknown key of the thresholds', () => {
    expect(problemsOf([], { mql: 100, sql: 200 })).toEqual([{ path: 'thresholds.sql', message: 'is not a known key' }]);
  });
});

describe('validateScoringModel: one problem for each bad value', () => {
  it('does not take two bad ids for a repeated one', () => {
    expect(problemsOf([fitWith({ id: 'A' }), fitWith({ id: 'B' })]).map((p) => p.path)).toEqual(['rules[0].id', 'rules[1].id']);
  });

  it('names the first rule with an id when it comes three times', () => {
    expect(problemsOf([fitWith({ id: 'a' }), fitWith({ id: 'a' }), fitWith({ id: 'a' })])).toEqual([
      { path: 'rules[1].id', message: 'repeats the id of rules[0]' },
      { path: 'rules[2].id', message: 'repeats the id of rules[0]' },
    ]);
  });

  it('does not compare a bad cap or a bad MQL threshold with anything', () => {
    expect(problemsOfRule(behaviour({ cap: 0 })).map((p) => p.path)).toEqual(['rules[0].cap']);
    expect(problemsOf([fitWith()], { mql: 'x', lead: 5 }).map((p) => p.path)).toEqual(['thresholds.mql']);
  });
});
