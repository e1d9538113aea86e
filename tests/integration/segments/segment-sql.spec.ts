import { randomUUID } from 'node:crypto';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { compileSegment, segmentCountSql, segmentMembersSql, segmentSampleSql, validateSegment } from '@ce/segments';
import { SegmentDefinitions } from '@ce/audience';
import { SegmentsService } from '../../../apps/api/src/segments/segments.service';
import { openTestDatabase } from '../../support/db';
import {
  A,
  CAMPAIGN_1,
  CAMPAIGN_2,
  DYNAMIC_SEGMENT,
  email,
  EVIL,
  Name,
  NAMES,
  NESTED_SEGMENT,
  NOW,
  OWNER,
  removeSegmentFixtures,
  RUN,
  SegmentFixtures,
  seedSegmentFixtures,
  STATIC_SEGMENT,
} from './segment-fixtures';

/**
 * Every operator on every kind of condition, compiled and run on PostgreSQL against five
 * known leads (see segment-fixtures.ts); each definition must select exactly the expected leads.
 */
let orm: MikroORM;
let em: EntityManager;
let fixtures: SegmentFixtures;

beforeAll(async () => {
  orm = await openTestDatabase();
  em = orm.em.fork();
  fixtures = await seedSegmentFixtures(em);
});

afterAll(async () => {
  if (fixtures) await removeSegmentFixtures(em, fixtures);
  await orm?.close(true);
});

const context = () => ({ attributes: fixtures.attributes, now: NOW, segments: (id: string) => fixtures.segments.get(id) });

/** Runs the definition's members and count queries, limited to this run's five leads. */
async function select(definition: unknown): Promise<Name[]> {
  const { attributes, segments } = fixtures;
  expect(validateSegment(definition, { attributes, segments: (id) => segments.get(id)?.kind })).toEqual([]);
  const ours = { field: 'email', op: 'in', value: NAMES.map(email) };
  const compiled = compileSegment({ all: [definition, ours] }, context());
  const members = segmentMembersSql(compiled);
  const rows: { id: string }[] = await em.getConnection().execute(members.sql, members.params);
  const names = NAMES.filter((name) => rows.some((r) => r.id === fixtures.ids[name]));
  const count = segmentCountSql(compiled);
  const [{ count: counted }] = await em.getConnection().execute(count.sql, count.params);
  expect(counted).toBe(names.length);
  return names;
}

type Case = [string, unknown, Name[]];
const field = (name: string, op: string, value: unknown) => ({ field: name, op, value });
const attr = (name: string, op: string, value: unknown) => ({ attribute: name, op, value });
const did = (behaviour: object) => ({ did: { type: 'click', ...behaviour } });
const didNot = (behaviour: object) => ({ didNot: { type: 'click', ...behaviour } });
const everyone: Name[] = [...NAMES];

const FIELD_CASES: Case[] = [
  ['string eq', field('company', 'eq', 'Analytical Engines'), ['ada']],
  ['string neq includes leads without the field', field('company', 'neq', 'Analytical Engines'), ['bob', 'cy', 'dee', 'eve']],
  ['string in', field('company', 'in', ['Initech', 'acme corp']), ['dee', 'eve']],
  ['string not_in includes leads without the field', field('company', 'not_in', ['Initech']), ['ada', 'bob', 'cy', 'dee']],
  ['contains, case-insensitive', field('company', 'contains', 'ACME'), ['bob', 'dee']],
  ['contains takes % literally', field('company', 'contains', '50%'), ['bob']],
  ['contains takes _ literally', field('company', 'contains', 'e_'), []],
  ['contains takes _ literally (match)', field('company', 'contains', 'f_d'), ['bob']],
  ['starts_with', field('company', 'starts_with', 'acme'), ['bob', 'dee']],
  ['starts_with does not match inside', field('company', 'starts_with', 'corp'), []],
  ['exists true', field('company', 'exists', true), ['ada', 'bob', 'dee', 'eve']],
  ['exists false', field('company', 'exists', false), ['cy']],
  ['email eq, whatever its case', field('email', 'eq', email('ada').toUpperCase()), ['ada']],
  ['firstName', field('firstName', 'eq', 'Bob'), ['bob']],
  ['lastName exists', field('lastName', 'exists', true), ['ada']],
  ['jobTitle starts_with', field('jobTitle', 'starts_with', 'eng'), ['ada']],
  ['a value with ? and $1 in it', field('jobTitle', 'eq', 'Who? Me? $1'), ['eve']],
  ['phone exists', field('phone', 'exists', true), ['ada']],
  ['country eq', field('country', 'eq', 'DE'), ['bob']],
  ['country eq, whatever its case', field('country', 'eq', 'de'), ['bob']],
  ['timeZone eq', field('timeZone', 'eq', 'Europe/London'), ['ada']],
  ['sourceChannel in', field('sourceChannel', 'in', ['web', 'event']), ['ada']],
  ['lifecycleStage eq', field('lifecycleStage', 'eq', 'mql'), ['ada']],
  ['lifecycleStage neq', field('lifecycleStage', 'neq', 'mql'), ['bob', 'cy', 'dee', 'eve']],
  ['lifecycleStage in', field('lifecycleStage', 'in', ['lead', 'customer']), ['bob', 'cy']],
  ['lifecycleStage not_in', field('lifecycleStage', 'not_in', ['subscriber', 'disqualified']), ['ada', 'bob', 'cy']],
  ['lifecycleStage exists', field('lifecycleStage', 'exists', true), everyone],
  ['score eq', field('score', 'eq', 40), ['bob']],
  ['score neq', field('score', 'neq', 40), ['ada', 'cy', 'dee', 'eve']],
  ['score gt', field('score', 'gt', 40), ['ada', 'cy']],
  ['score gte', field('score', 'gte', 40), ['ada', 'bob', 'cy']],
  ['score lt', field('score', 'lt', 0), ['eve']],
  ['score lte', field('score', 'lte', 0), ['dee', 'eve']],
  ['score between, inclusive', field('score', 'between', [0, 80]), ['ada', 'bob', 'dee']],
  ['score in', field('score', 'in', [0, 95]), ['cy', 'dee']],
  ['score not_in', field('score', 'not_in', [0, 95]), ['ada', 'bob', 'eve']],
  ['ownerId eq', field('ownerId', 'eq', OWNER), ['ada']],
  ['ownerId neq', field('ownerId', 'neq', OWNER), ['bob', 'cy', 'dee', 'eve']],
  ['ownerId in', field('ownerId', 'in', [OWNER, randomUUID()]), ['ada']],
  ['ownerId not_in', field('ownerId', 'not_in', [OWNER]), ['bob', 'cy', 'dee', 'eve']],
  ['ownerId exists false', field('ownerId', 'exists', false), ['bob', 'cy', 'dee', 'eve']],
  ['createdAt gt', field('createdAt', 'gt', '2025-01-10T00:00:00Z'), ['bob', 'cy', 'dee']],
  ['createdAt gte', field('createdAt', 'gte', '2025-01-10T01:00:00+01:00'), ['ada', 'bob', 'cy', 'dee']],
  ['createdAt lt', field('createdAt', 'lt', '2025-01-10T00:00:00Z'), ['eve']],
  ['createdAt lte', field('createdAt', 'lte', '2025-01-10'), ['ada', 'eve']],
  ['createdAt between, inclusive', field('createdAt', 'between', ['2025-01-10', '2025-05-20T00:00:00Z']), ['ada', 'bob', 'cy']],
  ['createdAt in the last 7 days', field('createdAt', 'gte', { ago: '7d' }), ['dee']],
  ['createdAt between relative dates', field('createdAt', 'between', [{ ago: '30d' }, { ago: '5d' }]), ['cy']],
  ['createdAt exists', field('createdAt', 'exists', true), everyone],
  ['updatedAt more than 30 days ago', field('updatedAt', 'lt', { ago: '30d' }), ['dee']],
];

const ATTRIBUTE_CASES: Case[] = [
  ['string eq', attr(A.industry, 'eq', 'Software'), ['ada']],
  ['string neq includes leads without it', attr(A.industry, 'neq', 'Software'), ['bob', 'cy', 'dee', 'eve']],
  ['string in', attr(A.industry, 'in', ['Software', 'Retail']), ['ada', 'bob']],
  ['string not_in', attr(A.industry, 'not_in', ['Retail']), ['ada', 'cy', 'dee', 'eve']],
  ['string contains', attr(A.industry, 'contains', 'TAI'), ['bob']],
  ['string starts_with', attr(A.industry, 'starts_with', 'soft'), ['ada']],
  ['exists: present and not JSON null', attr(A.industry, 'exists', true), ['ada', 'bob']],
  ['exists false: missing or JSON null', attr(A.industry, 'exists', false), ['cy', 'dee', 'eve']],
  ['number eq (120.0 equals 120)', attr(A.employees, 'eq', 120), ['ada', 'eve']],
  ['number neq', attr(A.employees, 'neq', 120), ['bob', 'cy', 'dee']],
  ['number in', attr(A.employees, 'in', [10, 120]), ['ada', 'bob', 'eve']],
  ['number not_in', attr(A.employees, 'not_in', [10]), ['ada', 'cy', 'dee', 'eve']],
  ['number gt skips a malformed "500"', attr(A.employees, 'gt', 10), ['ada', 'eve']],
  ['number gte', attr(A.employees, 'gte', 10), ['ada', 'bob', 'eve']],
  ['number lt', attr(A.employees, 'lt', 120), ['bob']],
  ['number lte', attr(A.employees, 'lte', 120), ['ada', 'bob', 'eve']],
  ['number between', attr(A.employees, 'between', [10, 100.5]), ['bob']],
  ['number exists (even malformed)', attr(A.employees, 'exists', true), ['ada', 'bob', 'cy', 'eve']],
  ['boolean eq true (not the string "true")', attr(A.trial, 'eq', true), ['bob']],
  ['boolean eq false', attr(A.trial, 'eq', false), ['ada']],
  ['boolean neq', attr(A.trial, 'neq', true), ['ada', 'cy', 'dee', 'eve']],
  ['boolean exists false', attr(A.trial, 'exists', false), ['cy', 'dee']],
  ['date gt', attr(A.renewal, 'gt', '2025-06-01T00:00:00Z'), ['ada']],
  ['date gte, a bare stored date', attr(A.renewal, 'gte', '2025-05-15T00:00:00Z'), ['ada', 'bob']],
  ['date lt relative, skipping malformed and impossible dates', attr(A.renewal, 'lt', { ago: '1d' }), ['bob']],
  ['date lte', attr(A.renewal, 'lte', '2025-07-01T00:00:00Z'), ['ada', 'bob']],
  ['date between', attr(A.renewal, 'between', ['2025-05-01', { ago: '0d1h' }]), ['bob']],
  ['date exists', attr(A.renewal, 'exists', true), ['ada', 'bob', 'cy', 'eve']],
  ['not of a date comparison counts malformed values as not matching', { not: attr(A.renewal, 'lt', { ago: '1d' }) }, ['ada', 'cy', 'dee', 'eve']],
  ['enum eq', attr(A.plan, 'eq', 'pro'), ['ada', 'eve']],
  ['enum neq', attr(A.plan, 'neq', 'pro'), ['bob', 'cy', 'dee']],
  ['enum in', attr(A.plan, 'in', ['free', 'team']), ['bob', 'cy']],
  ['enum not_in', attr(A.plan, 'not_in', ['pro']), ['bob', 'cy', 'dee']],
  ['enum exists false', attr(A.plan, 'exists', false), ['dee']],
];

const CONSENT_CASES: Case[] = [
  ['email subscribed', { consent: 'email', status: 'subscribed' }, ['ada']],
  ['email unsubscribed or bounced', { consent: 'email', status: ['unsubscribed', 'bounced'] }, ['bob', 'cy']],
  ['no email consent record', { consent: 'email', status: 'none' }, ['dee']],
  ['complained or no record', { consent: 'email', status: ['complained', 'none'] }, ['dee', 'eve']],
  ['sms subscribed', { consent: 'sms', status: 'subscribed' }, ['eve']],
  ['sms unsubscribed', { consent: 'sms', status: ['unsubscribed'] }, ['ada']],
  ['no sms record', { consent: 'sms', status: 'none' }, ['bob', 'cy', 'dee']],
];

const BEHAVIOUR_CASES: Case[] = [
  ['did click, ever', did({}), ['ada', 'bob', 'cy']],
  ['did click within 30 days', did({ within: '30d' }), ['ada', 'bob']],
  ['did click an email within a week', did({ channel: 'email', within: '1w' }), ['ada', 'bob']],
  ['did click in a campaign', did({ campaignId: CAMPAIGN_1 }), ['ada']],
  ['did click in the other campaign within 30 days', did({ campaignId: CAMPAIGN_2, within: '30d' }), []],
  ['did click with properties', did({ properties: { url: 'https://x.test/pricing' } }), ['ada']],
  ['did click with properties within a week', did({ properties: { variant: 'a' }, within: '7d' }), ['ada']],
  ['did click at least twice', did({ atLeast: 2 }), ['ada']],
  ['did click at least three times within 30 days', did({ atLeast: 3, within: '30d' }), []],
  ['did open at least three times', { did: { type: 'open', atLeast: 3 } }, ['eve']],
  ['did open at least four times', { did: { type: 'open', atLeast: 4 } }, []],
  ['did visit on the web', { did: { type: 'visit', channel: 'web' } }, ['bob']],
  ['did ad_click on ads', { did: { type: 'ad_click', channel: 'ads' } }, ['cy']],
  ['did ad_click on email', { did: { type: 'ad_click', channel: 'email' } }, []],
  ['didNot click', didNot({}), ['dee', 'eve']],
  ['didNot click within 30 days', didNot({ within: '30d' }), ['cy', 'dee', 'eve']],
  ['didNot click in a campaign', didNot({ campaignId: CAMPAIGN_1 }), ['bob', 'cy', 'dee', 'eve']],
  ['didNot open three times', { didNot: { type: 'open', atLeast: 3 } }, ['ada', 'bob', 'cy', 'dee']],
  ['didNot click an email with properties', didNot({ channel: 'email', properties: { url: 'https://x.test/blog' } }), ['ada', 'cy', 'dee', 'eve']],
];

const MEMBERSHIP_AND_GROUP_CASES: Case[] = [
  ['in a static segment', { inSegment: STATIC_SEGMENT }, ['ada', 'cy']],
  ['in a dynamic segment', { inSegment: DYNAMIC_SEGMENT }, ['bob', 'cy']],
  ['in a dynamic segment made of both', { inSegment: NESTED_SEGMENT.toUpperCase() }, ['ada', 'bob', 'cy']],
  ['not in a static segment', { not: { inSegment: STATIC_SEGMENT } }, ['bob', 'dee', 'eve']],
  ['all', { all: [field('score', 'gte', 40), { consent: 'email', status: 'subscribed' }] }, ['ada']],
  ['any', { any: [attr(A.plan, 'eq', 'free'), { did: { type: 'open', atLeast: 3 } }] }, ['bob', 'eve']],
  ['not of a comparison on a missing value', { not: field('company', 'eq', 'Analytical Engines') }, ['bob', 'cy', 'dee', 'eve']],
  ['not of any', { not: { any: [field('company', 'contains', 'acme'), field('country', 'eq', 'GB')] } }, ['cy', 'eve']],
  [
    'nested groups across every kind',
    {
      all: [
        { any: [{ inSegment: DYNAMIC_SEGMENT }, field('lifecycleStage', 'eq', 'mql')] },
        { not: { all: [attr(A.trial, 'eq', true), { consent: 'email', status: 'unsubscribed' }] } },
        { any: [did({ within: '30d' }), field('score', 'gt', 90)] },
      ],
    },
    ['ada', 'cy'],
  ],
];

const INJECTION_CASES: Case[] = [
  ['a hostile value in eq', field('company', 'eq', EVIL), []],
  ['a hostile value in a list', field('email', 'in', [EVIL, `${EVIL}?`, '??']), []],
  ['a hostile value in contains', field('jobTitle', 'contains', EVIL), []],
  ['a hostile enum option in containment', attr(A.plan, 'eq', EVIL), []],
  ['a hostile attribute name', attr(A.evil, 'eq', EVIL), []],
  ['a hostile attribute name, starts_with', attr(A.evil, 'starts_with', "'"), []],
  ['a hostile touchpoint type and properties', { did: { type: EVIL, channel: "'; --", properties: { [EVIL]: EVIL } } }, []],
];

describe.each([
  ['lead fields', FIELD_CASES],
  ['attributes', ATTRIBUTE_CASES],
  ['consent', CONSENT_CASES],
  ['behaviour', BEHAVIOUR_CASES],
  ['membership and groups', MEMBERSHIP_AND_GROUP_CASES],
  ['injection attempts', INJECTION_CASES],
])('segments on PostgreSQL: %s', (_kind, cases) => {
  it.each(cases)('%s', async (_name, definition, expected) => {
    expect(await select(definition)).toEqual(expected);
  });
});

describe('segments on PostgreSQL: statements', () => {
  it('leaves the leads table intact after every hostile definition', async () => {
    const [{ count }] = await em.getConnection().execute('select count(*)::int as count from leads where email like ?', [`%-${RUN}@segments.test`]);
    expect(count).toBe(5);
  });

  it('samples members by score, with the preview fields', async () => {
    const compiled = compileSegment(
      { all: [field('email', 'in', NAMES.map(email)), field('score', 'gte', 0)] },
      context(),
    );
    const sample = segmentSampleSql(compiled, 2);
    const rows = await em.getConnection().execute(sample.sql, sample.params);
    expect(rows).toEqual([
      { id: fixtures.ids.cy, email: email('cy'), firstName: null, lastName: null, score: 95, lifecycleStage: 'customer' },
      { id: fixtures.ids.ada, email: email('ada'), firstName: 'Ada', lastName: 'Lovelace', score: 80, lifecycleStage: 'mql' },
    ]);
  });

  it('snapshots a saved segment into a campaign audience with the service\'s members query', async () => {
    const service = new SegmentsService(em, new SegmentDefinitions());
    const members = await service.membersSql(NESTED_SEGMENT.toUpperCase(), em, NOW);
    expect(members.sql).toMatch(/^select l\.id from leads l where /);
    await em.execute(
      `insert into campaign_audience (campaign_id, lead_id) select ?::uuid, id from (${members.sql}) m on conflict do nothing`,
      [CAMPAIGN_1, ...members.params],
      'run',
    );
    const rows: { lead_id: string }[] = await em.execute('select lead_id from campaign_audience where campaign_id = ?', [CAMPAIGN_1]);
    const ours = NAMES.filter((n) => rows.some((r) => r.lead_id === fixtures.ids[n]));
    expect(ours).toEqual(['ada', 'bob', 'cy']);
    await expect(service.membersSql(CAMPAIGN_2, em)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a saved segment whose attribute has been removed since, rather than matching nobody', async () => {
    const service = new SegmentsService(em, new SegmentDefinitions());
    const stale = randomUUID();
    const definition = { attribute: `removed_${RUN}`, op: 'eq', value: 'x' };
    await em.execute(`insert into segments (id, name, kind, definition) values (?, 'stale', 'dynamic', ?::jsonb)`, [stale, JSON.stringify(definition)]);
    try {
      await expect(service.membersSql(stale, em)).rejects.toMatchObject({
        code: 'SEGMENT_INVALID',
        errors: [{ path: 'definition.attribute', message: expect.stringContaining(`unknown attribute "removed_${RUN}"`) }],
      });
    } finally {
      await em.execute('delete from segments where id = ?', [stale]);
    }
  });
});
