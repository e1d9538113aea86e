import { AttributeSpec, SegmentProblem, validateSegment, ValidationContext } from '@ce/segments';

const KNOWN_SEGMENT = '5b0c9f1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b';
const CAMPAIGN = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

const attributes = new Map<string, AttributeSpec>([
  ['industry', { type: 'string' }],
  ['employees', { type: 'number' }],
  ['trial', { type: 'boolean' }],
  ['renewal_date', { type: 'date' }],
  ['plan', { type: 'enum', options: ['free', 'pro', 'team'] }],
]);
const ctx: ValidationContext = { attributes, segments: (id) => (id === KNOWN_SEGMENT ? 'static' : undefined) };

const problems = (definition: unknown, context = ctx) => validateSegment(definition, context);
const paths = (list: SegmentProblem[]) => list.map((p) => p.path);
const field = (name: string, op: string, value: unknown) => ({ field: name, op, value });
const attribute = (name: string, op: string, value: unknown) => ({ attribute: name, op, value });

describe('validateSegment: groups', () => {
  it('accepts nested all / any / not groups of valid conditions', () => {
    const definition = {
      all: [
        field('score', 'gte', 50),
        { any: [field('country', 'eq', 'DE'), { not: field('lifecycleStage', 'in', ['customer', 'disqualified']) }] },
      ],
    };
    expect(problems(definition)).toEqual([]);
  });

  it('refuses empty and non-list groups, naming the group', () => {
    expect(problems({ all: [] })).toEqual([{ path: 'all', message: 'must be a non-empty list of conditions' }]);
    expect(paths(problems({ all: [field('score', 'gt', 1), { any: {} }] }))).toEqual(['all[1].any']);
  });

  it('refuses a node that is not a condition, or is two kinds at once, or has unknown keys', () => {
    expect(paths(problems({ all: ['score > 5', null, { field: 'score', attribute: 'plan' }] }))).toEqual([
      'all[0]',
      'all[1]',
      'all[2]',
    ]);
    expect(problems({ all: [{ field: 'score', attribute: 'plan' }] })[0].message).toBe('must have only one of field, attribute');
    expect(problems({ score: 5 })[0].message).toContain('must have one of all, any, not, field, attribute, consent, did, didNot, inSegment');
    expect(problems({ any: [field('score', 'gt', 1)], label: 'x' })).toEqual([{ path: 'label', message: 'is not a known key' }]);
    expect(paths(problems({ not: { ...field('score', 'gt', 1), negate: true } }))).toEqual(['not.negate']);
  });

  it('allows ten levels of nesting and refuses the eleventh', () => {
    const nest = (levels: number): unknown => (levels === 0 ? field('score', 'gt', 1) : { not: nest(levels - 1) });
    expect(problems(nest(10))).toEqual([]);
    const deep = problems(nest(11));
    expect(deep).toEqual([{ path: 'not.not.not.not.not.not.not.not.not.not', message: 'nests groups more than 10 levels deep' }]);
  });

  it('refuses more than 200 conditions once, at the root, and stops there', () => {
    const many = { any: Array.from({ length: 500 }, () => field('score', 'gt', 'x')) };
    const found = problems(many);
    expect(found).toContainEqual({ path: '', message: 'has more than 200 conditions' });
    expect(found.filter((p) => p.path === '')).toHaveLength(1);
    expect(problems({ any: Array.from({ length: 199 }, () => field('score', 'gt', 1)) })).toEqual([]);
  });

  it('reports every problem at once, each at its own path', () => {
    const definition = {
      all: [
        field('score', 'gte', 'fifty'),
        { any: [field('colour', 'eq', 'red'), attribute('plan', 'eq', 'gold')] },
        { not: { consent: 'fax', status: 'subscribed' } },
        { did: { type: '', within: 'soon' } },
      ],
    };
    expect(paths(problems(definition))).toEqual([
      'all[0].value',
      'all[1].any[0].field',
      'all[1].any[1].value',
      'all[2].not.consent',
      'all[3].did.type',
      'all[3].did.within',
    ]);
  });
});

describe('validateSegment: lead fields', () => {
  it('names the unknown field and lists the known ones', () => {
    const [problem] = problems({ all: [field('score', 'gt', 1), field('colour', 'eq', 'red')] });
    expect(problem.path).toBe('all[1].field');
    expect(problem.message).toMatch(/^unknown field "colour"; known fields: email, firstName, .*createdAt, updatedAt$/);
  });

  it.each([
    ['eq', 'Acme'],
    ['neq', 'Acme'],
    ['in', ['Acme', 'Initech']],
    ['not_in', ['Acme']],
    ['contains', 'cm'],
    ['starts_with', 'Ac'],
    ['exists', true],
    ['exists', false],
  ])('accepts %s on a string field', (op, value) => {
    expect(problems(field('company', op, value))).toEqual([]);
  });

  it.each(['gt', 'gte', 'lt', 'lte', 'between'])('refuses %s on a string field, listing the operators that apply', (op) => {
    expect(problems(field('company', op, 'x'))).toEqual([
      { path: 'op', message: `${op} does not apply to string values; use one of eq, neq, in, not_in, contains, starts_with, exists` },
    ]);
  });

  it('refuses an unknown operator', () => {
    expect(problems(field('company', 'like', 'x'))).toEqual([
      { path: 'op', message: 'must be one of eq, neq, in, not_in, contains, starts_with, gt, gte, lt, lte, between, exists' },
    ]);
  });

  it('checks string values: type, length, emptiness for contains, NUL characters', () => {
    expect(problems(field('company', 'eq', 5))).toEqual([{ path: 'value', message: 'must be a string' }]);
    expect(paths(problems(field('company', 'eq', 'x'.repeat(1001))))).toEqual(['value']);
    expect(problems(field('company', 'contains', ''))).toEqual([{ path: 'value', message: 'must not be empty' }]);
    expect(paths(problems(field('company', 'eq', 'a\u0000b')))).toEqual(['value']);
    expect(paths(problems(field('company', 'eq', 'a\uD800b')))).toEqual(['value']);
    expect(problems(field('company', 'eq', "x'); drop table leads; --"))).toEqual([]);
  });

  it('requires a value', () => {
    expect(problems({ field: 'company', op: 'eq' })).toEqual([{ path: 'value', message: 'is required' }]);
  });

  it('checks in / not_in lists: non-empty, at most 1000, each entry by index', () => {
    expect(problems(field('company', 'in', []))).toEqual([{ path: 'value', message: 'must be a non-empty list of at most 1000 values' }]);
    expect(paths(problems(field('company', 'not_in', 'Acme')))).toEqual(['value']);
    expect(paths(problems(field('company', 'in', Array(1001).fill('a'))))).toEqual(['value']);
    expect(problems(field('company', 'in', Array(1000).fill('a')))).toEqual([]);
    expect(paths(problems(field('company', 'in', ['a', 7, 'b', null])))).toEqual(['value[1]', 'value[3]']);
  });

  it('checks exists takes true or false', () => {
    expect(problems(field('phone', 'exists', 'yes'))).toEqual([{ path: 'value', message: 'must be true (present) or false (absent)' }]);
  });

  it('takes score as a whole number with every numeric operator', () => {
    for (const op of ['eq', 'neq', 'gt', 'gte', 'lt', 'lte']) expect(problems(field('score', op, 10))).toEqual([]);
    expect(problems(field('score', 'in', [10, 20]))).toEqual([]);
    expect(problems(field('score', 'between', [10, 20]))).toEqual([]);
    expect(problems(field('score', 'gt', 10.5))).toEqual([{ path: 'value', message: 'must be a whole number' }]);
    expect(problems(field('score', 'gt', '10'))).toEqual([{ path: 'value', message: 'must be a whole number' }]);
    expect(paths(problems(field('score', 'contains', '1')))).toEqual(['op']);
  });

  it('checks between takes [low, high] in order', () => {
    expect(problems(field('score', 'between', [10]))).toEqual([{ path: 'value', message: 'must be [low, high]' }]);
    expect(problems(field('score', 'between', [20, 10]))).toEqual([{ path: 'value', message: 'low must not be after high' }]);
    expect(paths(problems(field('score', 'between', [10, 'x'])))).toEqual(['value[1]']);
  });

  it('takes lifecycleStage as one of the known stages', () => {
    expect(problems(field('lifecycleStage', 'in', ['mql', 'sql']))).toEqual([]);
    expect(problems(field('lifecycleStage', 'eq', 'hot'))).toEqual([
      { path: 'value', message: 'must be one of subscriber, lead, mql, sql, opportunity, customer, disqualified' },
    ]);
    expect(paths(problems(field('lifecycleStage', 'gt', 'mql')))).toEqual(['op']);
  });

  it('takes ownerId as a UUID', () => {
    expect(problems(field('ownerId', 'eq', CAMPAIGN))).toEqual([]);
    expect(problems(field('ownerId', 'exists', false))).toEqual([]);
    expect(problems(field('ownerId', 'in', [CAMPAIGN, 'bob']))).toEqual([{ path: 'value[1]', message: 'must be a UUID' }]);
  });

  it('takes dates as ISO 8601 date-times with a zone, bare dates or relative { ago }', () => {
    for (const value of ['2025-01-31T09:00:00Z', '2025-01-31T09:00:00.250+01:00', '2025-01-31', { ago: '30d' }, { ago: 'PT12H' }])
      expect(problems(field('createdAt', 'gte', value))).toEqual([]);
    expect(problems(field('createdAt', 'between', [{ ago: '30d' }, '2030-01-01T00:00:00Z']))).toEqual([]);
    for (const value of ['2025-01-31T09:00:00', '2025-02-30', '31/01/2025', 'yesterday', 20250131, { ago: '30d', at: 1 }])
      expect(paths(problems(field('createdAt', 'gte', value)))).toEqual(['value']);
  });

  it('points at the "ago" of a bad relative date, also inside between', () => {
    expect(problems(field('createdAt', 'gt', { ago: 'a month' }))).toEqual([
      { path: 'value.ago', message: 'must be a duration such as 30d, 12h, 2w or P30D, of at most 100 years' },
    ]);
    expect(paths(problems(field('updatedAt', 'between', [{ ago: '0d' }, { ago: '1d' }])))).toEqual(['value[0].ago']);
    expect(paths(problems(field('createdAt', 'gt', { ago: '99999d' })))).toEqual(['value.ago']);
  });

  it('refuses a date range whose low end is after its high end', () => {
    expect(paths(problems(field('createdAt', 'between', ['2025-02-01', '2025-01-01'])))).toEqual(['value']);
    expect(paths(problems(field('createdAt', 'between', [{ ago: '7d' }, { ago: '30d' }])))).toEqual(['value']);
    expect(problems(field('createdAt', 'between', [{ ago: '30d' }, { ago: '7d' }]))).toEqual([]);
  });

  it('refuses equality on dates', () => {
    expect(paths(problems(field('createdAt', 'eq', '2025-01-01')))).toEqual(['op']);
  });
});

describe('validateSegment: attributes', () => {
  it('names the unknown attribute and lists the declared ones', () => {
    expect(problems({ all: [field('score', 'gt', 1), { any: [attribute('industy', 'eq', 'saas')] }] })).toEqual([
      {
        path: 'all[1].any[0].attribute',
        message: 'unknown attribute "industy"; declared attributes: employees, industry, plan, renewal_date, trial',
      },
    ]);
    expect(problems(attribute('x', 'eq', 1), { attributes: new Map() })).toEqual([
      { path: 'attribute', message: 'unknown attribute "x"; no attributes are declared' },
    ]);
  });

  it('decides operators and values by the attribute type', () => {
    expect(problems(attribute('industry', 'contains', 'soft'))).toEqual([]);
    expect(problems(attribute('employees', 'between', [10, 500]))).toEqual([]);
    expect(problems(attribute('employees', 'in', [10, 20.5]))).toEqual([]);
    expect(problems(attribute('trial', 'eq', true))).toEqual([]);
    expect(problems(attribute('renewal_date', 'lt', { ago: '1d' }))).toEqual([]);
    expect(problems(attribute('plan', 'not_in', ['free']))).toEqual([]);

    expect(problems(attribute('employees', 'gt', '10'))).toEqual([{ path: 'value', message: 'must be a finite number' }]);
    expect(problems(attribute('employees', 'gt', Infinity))).toEqual([{ path: 'value', message: 'must be a finite number' }]);
    expect(problems(attribute('trial', 'eq', 'true'))).toEqual([{ path: 'value', message: 'must be true or false' }]);
    expect(problems(attribute('trial', 'in', [true]))).toEqual([
      { path: 'op', message: 'in does not apply to boolean values; use one of eq, neq, exists' },
    ]);
    expect(problems(attribute('plan', 'contains', 'pr'))).toEqual([
      { path: 'op', message: 'contains does not apply to enum values; use one of eq, neq, in, not_in, exists' },
    ]);
    expect(problems(attribute('plan', 'in', ['pro', 'gold']))).toEqual([{ path: 'value[1]', message: 'must be one of free, pro, team' }]);
    expect(paths(problems(attribute('renewal_date', 'gt', 'next week')))).toEqual(['value']);
    expect(paths(problems(attribute('industry', 'gt', 'a')))).toEqual(['op']);
  });
});

describe('validateSegment: consent', () => {
  it('accepts a status, a list of statuses, and none', () => {
    expect(problems({ consent: 'email', status: 'subscribed' })).toEqual([]);
    expect(problems({ consent: 'sms', status: ['unsubscribed', 'bounced', 'complained', 'none'] })).toEqual([]);
  });

  it('names a bad channel and each bad status', () => {
    expect(paths(problems({ consent: 'fax', status: 'subscribed' }))).toEqual(['consent']);
    expect(paths(problems({ consent: 'email', status: ['subscribed', 'opted_in'] }))).toEqual(['status[1]']);
    expect(paths(problems({ consent: 'email', status: [] }))).toEqual(['status']);
    expect(paths(problems({ consent: 'email' }))).toEqual(['status']);
  });
});

describe('validateSegment: behaviour', () => {
  it('accepts did and didNot with every filter', () => {
    const behaviour = { type: 'click', channel: 'email', campaignId: CAMPAIGN, properties: { url: 'https://x.test' }, atLeast: 3, within: '30d' };
    expect(problems({ did: behaviour })).toEqual([]);
    expect(problems({ didNot: { type: 'open' } })).toEqual([]);
  });

  it('names each bad filter', () => {
    const behaviour = { channel: '', campaignId: 'c1', properties: ['x'], atLeast: 0, within: 'forever', since: '2025' };
    expect(paths(problems({ didNot: behaviour }))).toEqual([
      'didNot.since',
      'didNot.type',
      'didNot.channel',
      'didNot.campaignId',
      'didNot.properties',
      'didNot.atLeast',
      'didNot.within',
    ]);
    expect(paths(problems({ did: 'click' }))).toEqual(['did']);
    expect(paths(problems({ did: { type: 'x'.repeat(33) } }))).toEqual(['did.type']);
    expect(paths(problems({ did: { type: 'click', atLeast: 1.5 } }))).toEqual(['did.atLeast']);
    expect(paths(problems({ did: { type: 'click', properties: { a: 'b\u0000' } } }))).toEqual(['did.properties']);
  });
});

describe('validateSegment: segment membership', () => {
  it('accepts a known segment id, in any case', () => {
    expect(problems({ inSegment: KNOWN_SEGMENT })).toEqual([]);
    expect(problems({ inSegment: KNOWN_SEGMENT.toUpperCase() })).toEqual([]);
  });

  it('refuses an unknown segment and a malformed id', () => {
    const unknown = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    expect(problems({ all: [{ inSegment: unknown }, { inSegment: 'vip' }] })).toEqual([
      { path: 'all[0].inSegment', message: `segment ${unknown} does not exist` },
      { path: 'all[1].inSegment', message: 'must be a segment id (UUID)' },
    ]);
  });

  it('checks only the id shape when no segment lookup is given', () => {
    expect(problems({ inSegment: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }, { attributes })).toEqual([]);
  });
});
