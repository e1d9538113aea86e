import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AttributeSpec, AttributeType, ReferencedSegment } from '@ce/segments';

/**
 * A small known data set for evaluating segments on PostgreSQL: five leads with fields,
 * attributes (some malformed on purpose), consents, touchpoints at known times, attribute
 * definitions, and a static, a dynamic and a nested segment. Names carry a per-run suffix so
 * that runs and other suites sharing the database do not collide.
 */
export const NOW = new Date('2025-06-01T12:00:00.000Z');
export const RUN = randomUUID().slice(0, 8);
export const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
export const EVIL = "x'); drop table leads; --";

// Attribute definitions are global by name: this run's get a suffix.
export const A = {
  industry: `industry_${RUN}`,
  employees: `employees_${RUN}`,
  trial: `trial_${RUN}`,
  renewal: `renewal_${RUN}`,
  plan: `plan_${RUN}`,
  evil: `a"b'); drop table leads; --${RUN}`,
};

export const OWNER = randomUUID();
export const CAMPAIGN_1 = randomUUID();
export const CAMPAIGN_2 = randomUUID();
export const STATIC_SEGMENT = randomUUID();
export const DYNAMIC_SEGMENT = randomUUID();
export const NESTED_SEGMENT = randomUUID();

export type Name = 'ada' | 'bob' | 'cy' | 'dee' | 'eve';
export const NAMES: Name[] = ['ada', 'bob', 'cy', 'dee', 'eve'];
export const email = (name: Name) => `${name}-${RUN}@segments.test`;

interface LeadRow {
  firstName?: string;
  lastName?: string;
  company?: string;
  jobTitle?: string;
  phone?: string;
  country?: string;
  timeZone?: string;
  sourceChannel?: string;
  stage: string;
  score: number;
  ownerId?: string;
  createdAt: string;
  updatedAt: string;
  /** Raw JSON, so stored values can be malformed or 120.0 rather than 120. */
  attributes: string;
}

export const LEADS: Record<Name, LeadRow> = {
  ada: {
    firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines', jobTitle: 'Engineer', phone: '+44 20 0000',
    country: 'GB', timeZone: 'Europe/London', sourceChannel: 'web', stage: 'mql', score: 80, ownerId: OWNER,
    createdAt: '2025-01-10T00:00:00Z', updatedAt: '2025-05-31T00:00:00Z',
    attributes: `{"${A.industry}": "Software", "${A.employees}": 120, "${A.trial}": false, "${A.renewal}": "2025-07-01T00:00:00Z", "${A.plan}": "pro"}`,
  },
  bob: {
    firstName: 'Bob', company: 'Acme 50% Off_Deals', country: 'DE', stage: 'lead', score: 40,
    createdAt: '2025-03-01T00:00:00Z', updatedAt: '2025-05-31T00:00:00Z',
    attributes: `{"${A.industry}": "Retail", "${A.employees}": 10, "${A.trial}": true, "${A.renewal}": "2025-05-15", "${A.plan}": "free"}`,
  },
  cy: {
    country: 'US', stage: 'customer', score: 95, createdAt: '2025-05-20T00:00:00Z', updatedAt: '2025-05-31T00:00:00Z',
    attributes: `{"${A.industry}": null, "${A.employees}": "500", "${A.renewal}": "not a date", "${A.plan}": "team"}`,
  },
  dee: {
    company: 'acme corp', stage: 'subscriber', score: 0, createdAt: '2025-05-30T00:00:00Z', updatedAt: '2025-04-01T00:00:00Z',
    attributes: '{}',
  },
  eve: {
    company: 'Initech', jobTitle: 'Who? Me? $1', stage: 'disqualified', score: -10,
    createdAt: '2024-12-01T00:00:00Z', updatedAt: '2025-05-31T00:00:00Z',
    attributes: `{"${A.employees}": 120.0, "${A.trial}": "true", "${A.renewal}": "2025-02-31", "${A.plan}": "pro"}`,
  },
};

export const CONSENTS: [Name, string, string][] = [
  ['ada', 'email', 'subscribed'],
  ['ada', 'sms', 'unsubscribed'],
  ['bob', 'email', 'unsubscribed'],
  ['cy', 'email', 'bounced'],
  ['eve', 'email', 'complained'],
  ['eve', 'sms', 'subscribed'],
];

export const TOUCHPOINTS: { lead: Name; type: string; channel: string; days: number; campaign?: string; properties?: object }[] = [
  { lead: 'ada', type: 'click', channel: 'email', days: 2, campaign: CAMPAIGN_1, properties: { url: 'https://x.test/pricing', variant: 'a' } },
  { lead: 'ada', type: 'click', channel: 'email', days: 10, campaign: CAMPAIGN_1, properties: { url: 'https://x.test/pricing' } },
  { lead: 'ada', type: 'click', channel: 'email', days: 40, campaign: CAMPAIGN_2 },
  { lead: 'ada', type: 'open', channel: 'email', days: 1 },
  { lead: 'bob', type: 'click', channel: 'email', days: 5, properties: { url: 'https://x.test/blog' } },
  { lead: 'bob', type: 'visit', channel: 'web', days: 3 },
  { lead: 'cy', type: 'ad_click', channel: 'ads', days: 1 },
  { lead: 'cy', type: 'click', channel: 'email', days: 60 },
  { lead: 'eve', type: 'open', channel: 'email', days: 1 },
  { lead: 'eve', type: 'open', channel: 'email', days: 2 },
  { lead: 'eve', type: 'open', channel: 'email', days: 3 },
];

export const ATTRIBUTE_TYPES: [string, AttributeType, string[] | null][] = [
  [A.industry, 'string', null],
  [A.employees, 'number', null],
  [A.trial, 'boolean', null],
  [A.renewal, 'date', null],
  [A.plan, 'enum', ['free', 'pro', 'team', EVIL]],
  [A.evil, 'string', null],
];

export interface SegmentFixtures {
  ids: Record<Name, string>;
  /** The attribute catalogue as the API builds it: read back from attribute_definitions. */
  attributes: Map<string, AttributeSpec>;
  segments: Map<string, ReferencedSegment>;
}

export async function seedSegmentFixtures(em: EntityManager): Promise<SegmentFixtures> {
  const ids = {} as Record<Name, string>;
  const attributes = new Map<string, AttributeSpec>();
  const segments = new Map<string, ReferencedSegment>();
  const run = (sql: string, params: unknown[] = []) => em.getConnection().execute(sql, params);
  for (const name of NAMES) {
    const l = LEADS[name];
    ids[name] = randomUUID();
    await run(
      `insert into leads (id, email, first_name, last_name, company, job_title, phone, country, time_zone, source_channel,
         lifecycle_stage, score, owner_id, created_at, updated_at, attributes)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)`,
      [ids[name], email(name), l.firstName ?? null, l.lastName ?? null, l.company ?? null, l.jobTitle ?? null, l.phone ?? null,
        l.country ?? null, l.timeZone ?? null, l.sourceChannel ?? null, l.stage, l.score, l.ownerId ?? null, l.createdAt, l.updatedAt,
        l.attributes],
    );
  }
  for (const [lead, channel, status] of CONSENTS)
    await run(`insert into lead_consents (id, lead_id, channel, status, changed_at, source) values (?, ?, ?, ?, now(), 'test')`, [
      randomUUID(), ids[lead], channel, status,
    ]);
  const flow = randomUUID();
  await run(`insert into flows (id, name) values (?, 'segment test')`, [flow]);
  for (const campaign of [CAMPAIGN_1, CAMPAIGN_2])
    await run(`insert into campaigns (id, name, flow_id, channel, audience, currency) values (?, 'c', ?, 'email', '{}', 'USD')`, [campaign, flow]);
  for (const t of TOUCHPOINTS)
    await run(
      `insert into touchpoints (id, lead_id, campaign_id, channel, type, occurred_at, properties) values (?, ?, ?, ?, ?, ?, ?::jsonb)`,
      [randomUUID(), ids[t.lead], t.campaign ?? null, t.channel, t.type, ago(t.days), JSON.stringify(t.properties ?? {})],
    );
  for (const [name, type, options] of ATTRIBUTE_TYPES)
    await run(`insert into attribute_definitions (id, name, type, options) values (?, ?, ?, ?::jsonb)`, [
      randomUUID(), name, type, options ? JSON.stringify(options) : null,
    ]);
  const rows = (await run('select name, type, options from attribute_definitions')) as { name: string; type: AttributeType; options: string[] | null }[];
  for (const row of rows) attributes.set(row.name, { type: row.type, options: row.options });

  const dynamic = { field: 'country', op: 'in', value: ['DE', 'US'] };
  const nested = { any: [{ inSegment: STATIC_SEGMENT }, { inSegment: DYNAMIC_SEGMENT }] };
  await run(`insert into segments (id, name, kind) values (?, 'static', 'static')`, [STATIC_SEGMENT]);
  await run(`insert into segments (id, name, kind, definition) values (?, 'dynamic', 'dynamic', ?::jsonb)`, [DYNAMIC_SEGMENT, JSON.stringify(dynamic)]);
  await run(`insert into segments (id, name, kind, definition) values (?, 'nested', 'dynamic', ?::jsonb)`, [NESTED_SEGMENT, JSON.stringify(nested)]);
  for (const name of ['ada', 'cy'] as Name[])
    await run('insert into segment_members (segment_id, lead_id) values (?, ?)', [STATIC_SEGMENT, ids[name]]);
  segments.set(STATIC_SEGMENT, { kind: 'static', definition: null });
  segments.set(DYNAMIC_SEGMENT, { kind: 'dynamic', definition: dynamic });
  segments.set(NESTED_SEGMENT, { kind: 'dynamic', definition: nested });
  return { ids, attributes, segments };
}

/** Deletes what seedSegmentFixtures made (consents, touchpoints and members go with their leads). */
export async function removeSegmentFixtures(em: EntityManager, fixtures: SegmentFixtures): Promise<void> {
  const run = (sql: string, params: unknown[]) => em.getConnection().execute(sql, params);
  const leadIds = NAMES.map((n) => fixtures.ids[n]).filter(Boolean);
  if (leadIds.length > 0) await run(`delete from leads where id in (${leadIds.map(() => '?').join(', ')})`, leadIds);
  await run('delete from segments where id in (?, ?, ?)', [STATIC_SEGMENT, DYNAMIC_SEGMENT, NESTED_SEGMENT]);
  await run('delete from attribute_definitions where name in (?, ?, ?, ?, ?, ?)', ATTRIBUTE_TYPES.map(([name]) => name));
  const flows = (await run('select flow_id from campaigns where id in (?, ?)', [CAMPAIGN_1, CAMPAIGN_2])) as { flow_id: string }[];
  await run('delete from campaigns where id in (?, ?)', [CAMPAIGN_1, CAMPAIGN_2]);
  for (const { flow_id } of flows) await run('delete from flows where id = ?', [flow_id]);
}
