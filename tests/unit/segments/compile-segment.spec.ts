import {
  ATTRIBUTE_TYPES as DB_ATTRIBUTE_TYPES,
  CONSENT_CHANNELS as DB_CONSENT_CHANNELS,
  CONSENT_STATUSES as DB_CONSENT_STATUSES,
  LIFECYCLE_STAGES as DB_LIFECYCLE_STAGES,
  SEGMENT_KINDS as DB_SEGMENT_KINDS,
} from '@ce/db';
import {
  ATTRIBUTE_TYPES,
  AttributeSpec,
  compileSegment,
  CompileContext,
  CONSENT_CHANNELS,
  CONSENT_STATUSES,
  escapeLike,
  LIFECYCLE_STAGES,
  ReferencedSegment,
  SEGMENT_KINDS,
  segmentCountSql,
  segmentMembersSql,
  segmentSampleSql,
  validateSegment,
} from '@ce/segments';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const STATIC_ID = 'aaaaaaaa-0000-4000-8000-00000000000a';
const DYNAMIC_ID = 'bbbbbbbb-0000-4000-8000-00000000000b';
const CAMPAIGN = 'cccccccc-0000-4000-8000-00000000000c';
const EVIL = "x'); drop table leads; --";
const EVIL_NAME = 'a"b\'); drop table leads; --';

const attributes = new Map<string, AttributeSpec>([
  ['plan', { type: 'enum', options: ['free', 'pro', EVIL] }],
  ['industry', { type: 'string' }],
  ['employees', { type: 'number' }],
  ['trial', { type: 'boolean' }],
  ['renewal_date', { type: 'date' }],
  [EVIL_NAME, { type: 'string' }],
  ['a"b', { type: 'number' }],
]);
const segments = new Map<string, ReferencedSegment>([
  [STATIC_ID, { kind: 'static', definition: null }],
  [DYNAMIC_ID, { kind: 'dynamic', definition: { field: 'country', op: 'eq', value: 'DE' } }],
]);
const ctx: CompileContext = { attributes, now: NOW, segments: (id) => segments.get(id) };

const compile = (definition: unknown) => {
  // Every definition compiled here is valid: the compiler's contract starts there.
  expect(validateSegment(definition, { attributes, segments: (id) => segments.get(id)?.kind })).toEqual([]);
  return compileSegment(definition, ctx);
};
const placeholders = (sql: string) => sql.split('?').length - 1;

describe('compileSegment: the shape of the SQL', () => {
  it('compiles attribute eq + score gte + clicked an email in 30 days into one predicate', () => {
    const compiled = compile({
      all: [
        { attribute: 'plan', op: 'eq', value: 'pro' },
        { field: 'score', op: 'gte', value: 50 },
        { did: { type: 'click', channel: 'email', within: '30d' } },
      ],
    });
    expect(compiled.where).toBe(
      '(l.attributes @> ?::jsonb and l.score >= ?::bigint and exists (select 1 from touchpoints t where t.lead_id = l.id and t.type = ? and t.channel = ? and t.occurred_at >= ?::timestamptz))',
    );
    expect(compiled.params).toEqual(['{"plan":"pro"}', '50', 'click', 'email', '2025-05-02T12:00:00.000Z']);
  });

  it('wraps the predicate into count, sample and members statements', () => {
    const compiled = compile({ field: 'score', op: 'gt', value: 10 });
    expect(segmentCountSql(compiled)).toEqual({
      sql: 'select count(*)::int as count from leads l where l.score > ?::bigint',
      params: ['10'],
    });
    expect(segmentMembersSql(compiled)).toEqual({ sql: 'select l.id from leads l where l.score > ?::bigint', params: ['10'] });
    const sample = segmentSampleSql(compiled, 20);
    expect(sample.sql).toMatch(/^select l\.id, l\.email, .* from leads l where l\.score > \?::bigint order by l\.score desc, l\.id limit \?$/);
    expect(sample.params).toEqual(['10', 20]);
  });

  it.each([
    ['eq', 'Acme', 'l.company = ?', ['Acme']],
    ['neq', 'Acme', 'l.company is distinct from ?', ['Acme']],
    ['in', ['Acme', 'Initech'], 'l.company in (?, ?)', ['Acme', 'Initech']],
    ['not_in', ['Acme'], '(l.company is null or l.company not in (?))', ['Acme']],
    ['contains', '50%_off\\', 'l.company ilike ?', ['%50\\%\\_off\\\\%']],
    ['starts_with', 'Ac', 'l.company ilike ?', ['Ac%']],
    ['exists', true, 'l.company is not null', []],
    ['exists', false, 'l.company is null', []],
  ])('compiles %s on a nullable string field', (op, value, where, params) => {
    expect(compile({ field: 'company', op, value })).toEqual({ where, params });
  });

  it('uses plain <> on a column that is never null, and lower-cases emails as they are stored', () => {
    expect(compile({ field: 'email', op: 'neq', value: 'Ada@Example.com' })).toEqual({ where: 'l.email <> ?', params: ['ada@example.com'] });
  });

  it.each([
    ['gt', 5, 'l.score > ?::bigint', ['5']],
    ['lte', -5, 'l.score <= ?::bigint', ['-5']],
    ['between', [10, 20], 'l.score between ?::bigint and ?::bigint', ['10', '20']],
    ['in', [1, 2], 'l.score in (?::bigint, ?::bigint)', ['1', '2']],
  ])('compiles %s on score with integer casts the index serves', (op, value, where, params) => {
    expect(compile({ field: 'score', op, value })).toEqual({ where, params });
  });

  it('compiles uuid and stage fields', () => {
    expect(compile({ field: 'ownerId', op: 'eq', value: CAMPAIGN })).toEqual({ where: 'l.owner_id = ?::uuid', params: [CAMPAIGN] });
    expect(compile({ field: 'lifecycleStage', op: 'in', value: ['mql', 'sql'] })).toEqual({
      where: 'l.lifecycle_stage in (?, ?)',
      params: ['mql', 'sql'],
    });
  });

  it('resolves relative dates against the evaluation time, absolute ones to UTC', () => {
    expect(compile({ field: 'createdAt', op: 'between', value: [{ ago: '7d' }, '2025-06-01T10:00:00+02:00'] })).toEqual({
      where: 'l.created_at between ?::timestamptz and ?::timestamptz',
      params: ['2025-05-25T12:00:00.000Z', '2025-06-01T08:00:00.000Z'],
    });
    expect(compile({ field: 'updatedAt', op: 'lt', value: { ago: 'PT1H30M' } }).params).toEqual(['2025-06-01T10:30:00.000Z']);
    expect(compile({ field: 'createdAt', op: 'gte', value: '2025-01-31' }).params).toEqual(['2025-01-31T00:00:00.000Z']);
  });

  it('compiles attribute equality and lists as containment the GIN index serves', () => {
    expect(compile({ attribute: 'trial', op: 'eq', value: true })).toEqual({ where: 'l.attributes @> ?::jsonb', params: ['{"trial":true}'] });
    expect(compile({ attribute: 'employees', op: 'neq', value: 10 })).toEqual({
      where: 'not (l.attributes @> ?::jsonb)',
      params: ['{"employees":10}'],
    });
    expect(compile({ attribute: 'plan', op: 'in', value: ['free', 'pro'] })).toEqual({
      where: 'l.attributes @> any (array[?::jsonb, ?::jsonb])',
      params: ['{"plan":"free"}', '{"plan":"pro"}'],
    });
  });

  it('compares number attributes only where a JSON number is stored', () => {
    expect(compile({ attribute: 'employees', op: 'gte', value: 50.5 })).toEqual({
      where: "case when jsonb_typeof(l.attributes -> ?) = 'number' then (l.attributes ->> ?)::numeric >= ?::numeric else false end",
      params: ['employees', 'employees', '50.5'],
    });
  });

  it('casts date attributes only when the stored text is a real ISO date', () => {
    const { where, params } = compile({ attribute: 'renewal_date', op: 'lt', value: { ago: '1d' } });
    expect(where).toMatch(/^case when \(l\.attributes ->> \?\) ~ '\^.*\$' then case when .* then \(l\.attributes ->> \?\)::timestamptz end end < \?::timestamptz$/);
    expect(params).toEqual(['renewal_date', 'renewal_date', 'renewal_date', 'renewal_date', '2025-05-31T12:00:00.000Z']);
  });

  it('tests attribute presence with ->>, which is NULL for a missing key and for JSON null', () => {
    expect(compile({ attribute: 'industry', op: 'exists', value: false })).toEqual({
      where: '(l.attributes ->> ?) is null',
      params: ['industry'],
    });
  });

  it('compiles consent, with none as the absence of a record', () => {
    expect(compile({ consent: 'email', status: 'subscribed' })).toEqual({
      where: 'exists (select 1 from lead_consents c where c.lead_id = l.id and c.channel = ? and c.status in (?))',
      params: ['email', 'subscribed'],
    });
    expect(compile({ consent: 'sms', status: ['bounced', 'none'] })).toEqual({
      where:
        '(exists (select 1 from lead_consents c where c.lead_id = l.id and c.channel = ? and c.status in (?)) or not exists (select 1 from lead_consents c where c.lead_id = l.id and c.channel = ?))',
      params: ['sms', 'bounced', 'sms'],
    });
  });

  it('compiles behaviour with every filter; at least N as a semi-join on the leads with N matches', () => {
    const did = { type: 'click', channel: 'email', campaignId: CAMPAIGN, properties: { url: 'https://x.test/' }, atLeast: 3, within: '2w' };
    const grouped =
      'exists (select 1 from (select t.lead_id from touchpoints t where t.type = ? and t.channel = ? and t.campaign_id = ?::uuid and t.properties @> ?::jsonb and t.occurred_at >= ?::timestamptz group by t.lead_id having count(*) >= ?) n where n.lead_id = l.id)';
    expect(compile({ did })).toEqual({
      where: grouped,
      params: ['click', 'email', CAMPAIGN, '{"url":"https://x.test/"}', '2025-05-18T12:00:00.000Z', 3],
    });
    expect(compile({ didNot: did }).where).toBe(`not ${grouped}`);
    expect(compile({ did: { type: 'click', within: '30d' } })).toEqual({
      where: 'exists (select 1 from touchpoints t where t.lead_id = l.id and t.type = ? and t.occurred_at >= ?::timestamptz)',
      params: ['click', '2025-05-02T12:00:00.000Z'],
    });
    expect(compile({ didNot: { type: 'open' } })).toEqual({
      where: 'not exists (select 1 from touchpoints t where t.lead_id = l.id and t.type = ?)',
      params: ['open'],
    });
  });

  it('inlines a dynamic segment and tests a static one through segment_members', () => {
    expect(compile({ any: [{ inSegment: DYNAMIC_ID }, { inSegment: STATIC_ID.toUpperCase() }] })).toEqual({
      where: '((l.country = ?) or exists (select 1 from segment_members m where m.segment_id = ?::uuid and m.lead_id = l.id))',
      params: ['DE', STATIC_ID],
    });
  });

  it('compiles a reference that no longer resolves, or a cycle, to false instead of failing', () => {
    expect(compileSegment({ inSegment: 'dddddddd-0000-4000-8000-00000000000d' }, ctx)).toEqual({ where: 'false', params: [] });
    const looping = new Map<string, ReferencedSegment>([[DYNAMIC_ID, { kind: 'dynamic', definition: { not: { inSegment: DYNAMIC_ID } } }]]);
    const compiled = compileSegment({ inSegment: DYNAMIC_ID }, { ...ctx, segments: (id) => looping.get(id) });
    expect(compiled).toEqual({ where: '(not (false))', params: [] });
    expect(compileSegment({ attribute: 'undeclared', op: 'eq', value: 1 }, ctx).where).toBe('false');
  });
});

describe('compileSegment: not', () => {
  it('treats a comparison on a missing value as false, so not of it is true', () => {
    expect(compile({ not: { field: 'company', op: 'eq', value: 'Acme' } }).where).toBe('not coalesce(l.company = ?, false)');
  });

  it('keeps a plain NOT where the inner condition is never NULL, so not exists stays an anti-join', () => {
    expect(compile({ not: { did: { type: 'click' } } }).where).toBe(
      'not (exists (select 1 from touchpoints t where t.lead_id = l.id and t.type = ?))',
    );
    expect(compile({ not: { all: [{ field: 'score', op: 'gt', value: 1 }, { field: 'email', op: 'contains', value: 'x' }] } }).where).toBe(
      'not ((l.score > ?::bigint and l.email ilike ?))',
    );
  });
});

describe('compileSegment: no user text in the SQL', () => {
  const hostile = {
    all: [
      { field: 'company', op: 'eq', value: EVIL },
      { field: 'email', op: 'in', value: [EVIL, 'a?b', 'c??d', '$1'] },
      { field: 'jobTitle', op: 'contains', value: EVIL },
      { attribute: 'plan', op: 'eq', value: EVIL },
      { attribute: EVIL_NAME, op: 'starts_with', value: EVIL },
      { attribute: 'a"b', op: 'between', value: [1, 2] },
      { attribute: 'a"b', op: 'exists', value: true },
      { consent: 'email', status: 'subscribed' },
      { did: { type: EVIL.slice(0, 32), channel: "e'--", properties: { [EVIL]: EVIL } } },
    ],
  };

  it('puts every value and attribute name in the parameters, none in the text', () => {
    const { where, params } = compile(hostile);
    for (const text of [EVIL, EVIL_NAME, 'a"b', 'drop table', '--', '$1', "e'"]) expect(where).not.toContain(text);
    expect(params).toEqual(expect.arrayContaining([EVIL, EVIL_NAME, 'a"b', "e'--", 'a?b', 'c??d', '$1', '%x\'); drop table leads; --%']));
    expect(params).toContain(JSON.stringify({ plan: EVIL }));
    expect(params).toContain(JSON.stringify({ [EVIL]: EVIL }));
  });

  it('has exactly one placeholder per parameter, and no ?-family jsonb operator', () => {
    const { where, params } = compile(hostile);
    expect(placeholders(where)).toBe(params.length);
    expect(where).not.toMatch(/\?\?|\?\||\?&/);
    // Every ? is a placeholder: followed by a cast, a comma, a bracket, a space or the end.
    expect(where).not.toMatch(/\?(?![:,)\]\s]|$)/);
  });

  it('escapes LIKE wildcards and backslashes so they match literally', () => {
    expect(escapeLike('100%_\\')).toBe('100\\%\\_\\\\');
  });
});

describe('the DSL stays in step with the database', () => {
  it('knows the same lifecycle stages, consent channels and statuses, attribute types and segment kinds', () => {
    expect(LIFECYCLE_STAGES).toEqual(DB_LIFECYCLE_STAGES);
    expect(CONSENT_CHANNELS).toEqual(DB_CONSENT_CHANNELS);
    expect(CONSENT_STATUSES).toEqual(DB_CONSENT_STATUSES);
    expect(ATTRIBUTE_TYPES).toEqual(DB_ATTRIBUTE_TYPES);
    expect(SEGMENT_KINDS).toEqual(DB_SEGMENT_KINDS);
  });
});
