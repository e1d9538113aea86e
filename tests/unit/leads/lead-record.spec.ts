import { AttributeRule, AttributeRules, checkAttributeValue, normaliseEmail, parseLeadRecord } from '@ce/leads';

const OWNER = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';

const rules: AttributeRules = new Map<string, AttributeRule>([
  ['industry', { type: 'string', required: false, options: null }],
  ['seats', { type: 'number', required: false, options: null }],
  ['trial', { type: 'boolean', required: false, options: null }],
  ['renews_on', { type: 'date', required: false, options: null }],
  ['plan', { type: 'enum', required: false, options: ['free', 'pro', 'team'] }],
]);
const withRequired: AttributeRules = new Map<string, AttributeRule>([
  ...rules,
  ['region', { type: 'string', required: true, options: null }],
]);

const create = (raw: unknown, attributes: AttributeRules = rules) => parseLeadRecord(raw, { attributes, mode: 'create' });
const update = (raw: unknown, attributes: AttributeRules = rules) => parseLeadRecord(raw, { attributes, mode: 'update' });
const paths = (result: { problems: { path: string }[] }) => result.problems.map((p) => p.path).sort();
const messageAt = (result: { problems: { path: string; message: string }[] }, path: string) =>
  result.problems.find((p) => p.path === path)?.message;

describe('parseLeadRecord: email', () => {
  it('trims and lower-cases the email', () => {
    const result = create({ email: '  Ada.Lovelace@Example.COM ' });
    expect(result.problems).toEqual([]);
    expect(result.record).toEqual({ email: 'ada.lovelace@example.com' });
    expect(normaliseEmail(' X@Y.Org ')).toBe('x@y.org');
  });

  it.each(['ada', 'ada@example', 'ada@@example.com', 'ada lovelace@example.com', '<ada@example.com>', 'ada@example.c', ''])(
    'rejects %p as an invalid email address',
    (email) => {
      const result = create({ email });
      expect(result.problems).toEqual([{ path: 'email', message: 'must be a valid email address' }]);
      expect(result.record.email).toBeUndefined();
    },
  );

  it('rejects an email longer than 320 characters', () => {
    const result = create({ email: `${'a'.repeat(310)}@example.com` });
    expect(paths(result)).toEqual(['email']);
  });

  it.each([7, null, true, { address: 'ada@example.com' }])('rejects a non-string email %p', (email) => {
    expect(create({ email }).problems).toEqual([{ path: 'email', message: 'must be a string' }]);
  });

  it('requires an email on create but not on update', () => {
    expect(create({ firstName: 'Ada' }).problems).toEqual([{ path: 'email', message: 'is required' }]);
    expect(update({ firstName: 'Ada' })).toEqual({ record: { firstName: 'Ada' }, problems: [] });
  });
});

describe('parseLeadRecord: standard fields', () => {
  it('reads every standard field and normalises it', () => {
    const result = create({
      email: 'ada@example.com',
      firstName: ' Ada ',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      jobTitle: 'CTO',
      phone: ' +44 (20) 7946-0000 ',
      country: ' gb ',
      timeZone: 'Europe/London',
      sourceChannel: ' Web ',
      lifecycleStage: 'mql',
      ownerId: OWNER.toUpperCase(),
    });
    expect(result.problems).toEqual([]);
    expect(result.record).toEqual({
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      jobTitle: 'CTO',
      phone: '+44 (20) 7946-0000',
      country: 'GB',
      timeZone: 'Europe/London',
      sourceChannel: 'web',
      lifecycleStage: 'mql',
      ownerId: OWNER,
    });
  });

  it('keeps text of 200 characters and rejects 201, or anything that is not text', () => {
    expect(update({ company: 'c'.repeat(200) }).record.company).toBe('c'.repeat(200));
    const result = update({ firstName: 'f'.repeat(201), lastName: 12, company: ['x'], jobTitle: { title: 'CTO' } });
    expect(paths(result)).toEqual(['company', 'firstName', 'jobTitle', 'lastName']);
    expect(messageAt(result, 'firstName')).toBe('must be text of at most 200 characters, or null');
  });

  it('turns blank text and explicit nulls into null, which clears the field', () => {
    const result = update({ firstName: '   ', lastName: null, phone: '', country: null, timeZone: null, sourceChannel: '', ownerId: null });
    expect(result.problems).toEqual([]);
    expect(result.record).toEqual({ firstName: null, lastName: null, phone: null, country: null, timeZone: null, sourceChannel: null, ownerId: null });
  });

  it.each(['call me', '12', '+44 20 7946 0000 ext. 5', '1'.repeat(51), 442079460000])('rejects the phone number %p', (phone) => {
    expect(update({ phone }).problems).toEqual([{ path: 'phone', message: 'must be a phone number (at least 3 digits; spaces, + ( ) - . allowed)' }]);
  });

  it.each(['GBR', 'G', 'g1', '12', 44])('rejects the country %p', (country) => {
    expect(update({ country }).problems).toEqual([{ path: 'country', message: 'must be a two-letter ISO 3166 country code' }]);
  });

  it.each(['America/New_York', 'Asia/Kolkata', 'UTC'])('accepts the IANA time zone %p', (timeZone) => {
    expect(update({ timeZone })).toEqual({ record: { timeZone }, problems: [] });
  });

  it.each([
    ['europe/berlin', 'Europe/Berlin'],
    [' Europe/Berlin ', 'Europe/Berlin'],
  ])('spells the time zone %p as %p', (given, spelled) => {
    expect(update({ timeZone: given })).toEqual({ record: { timeZone: spelled }, problems: [] });
  });

  it.each(['Mars/Olympus', 'Berlin', 'x'.repeat(65), 1])('rejects the time zone %p', (timeZone) => {
    expect(update({ timeZone }).problems).toEqual([{ path: 'timeZone', message: 'must be an IANA time zone such as Europe/Berlin' }]);
  });

  it.each(['paid search', '-web', 'web!', 'w'.repeat(65), 3])('rejects the source channel %p', (sourceChannel) => {
    expect(update({ sourceChannel }).problems).toEqual([{ path: 'sourceChannel', message: 'must be a short word such as web, event or referral' }]);
  });

  it('accepts every lifecycle stage and rejects others, case included', () => {
    for (const stage of ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'disqualified'])
      expect(update({ lifecycleStage: stage }).record.lifecycleStage).toBe(stage);
    for (const stage of ['MQL', 'prospect', null, 3]) {
      const result = update({ lifecycleStage: stage });
      expect(paths(result)).toEqual(['lifecycleStage']);
      expect(messageAt(result, 'lifecycleStage')).toBe('must be one of subscriber, lead, mql, sql, opportunity, customer, disqualified');
    }
  });

  it.each(['not-a-uuid', '3f1c2b4a5d6e4f708a9b0c1d2e3f4a5b', 42])('rejects the owner id %p', (ownerId) => {
    expect(update({ ownerId }).problems).toEqual([{ path: 'ownerId', message: 'must be a UUID or null' }]);
  });
});

describe('parseLeadRecord: attributes', () => {
  it('accepts a value of each declared type', () => {
    const result = update({ attributes: { industry: 'Aerospace', seats: 12.5, trial: false, renews_on: '2027-03-01', plan: 'pro' } });
    expect(result.problems).toEqual([]);
    expect(result.record.attributes).toEqual({ industry: 'Aerospace', seats: 12.5, trial: false, renews_on: '2027-03-01T00:00:00.000Z', plan: 'pro' });
  });

  it('writes dates and date-times as ISO strings in UTC', () => {
    expect(update({ attributes: { renews_on: '2027-03-01T10:30:00+02:00' } }).record.attributes).toEqual({ renews_on: '2027-03-01T08:30:00.000Z' });
    expect(update({ attributes: { renews_on: '2027-03-01T10:30:00.250Z' } }).record.attributes).toEqual({ renews_on: '2027-03-01T10:30:00.250Z' });
  });

  it.each([
    ['industry', 5, 'must be text of at most 10000 characters'],
    ['industry', 'x'.repeat(10_001), 'must be text of at most 10000 characters'],
    ['seats', '12', 'must be a number'],
    ['seats', Number.POSITIVE_INFINITY, 'must be a number'],
    ['trial', 'true', 'must be true or false'],
    ['trial', 1, 'must be true or false'],
    ['renews_on', 'March 1st', 'must be an ISO 8601 date (2027-06-01) or date-time with an offset (2027-06-01T10:00:00Z)'],
    ['renews_on', '2027-13-01', 'must be an ISO 8601 date (2027-06-01) or date-time with an offset (2027-06-01T10:00:00Z)'],
    ['renews_on', 1_800_000_000_000, 'must be an ISO 8601 date (2027-06-01) or date-time with an offset (2027-06-01T10:00:00Z)'],
    ['plan', 'enterprise', 'must be one of free, pro, team'],
    ['plan', 'Pro', 'must be one of free, pro, team'],
  ])('rejects %s = %p', (name, value, message) => {
    expect(update({ attributes: { [name]: value } }).problems).toEqual([{ path: `attributes.${name}`, message }]);
  });

  it('checks single values the same way through checkAttributeValue', () => {
    expect(checkAttributeValue({ type: 'number', required: false, options: null }, 0)).toEqual({ ok: true, value: 0 });
    expect(checkAttributeValue({ type: 'string', required: false, options: null }, '')).toEqual({ ok: true, value: '' });
    expect(checkAttributeValue({ type: 'date', required: false, options: null }, '2027-03-01T10:30Z')).toEqual({ ok: true, value: '2027-03-01T10:30:00.000Z' });
  });

  it('names an undeclared attribute and points at declaring it', () => {
    const result = update({ attributes: { favourite_colour: 'teal', plan: 'free' } });
    expect(result.problems).toEqual([
      { path: 'attributes.favourite_colour', message: 'is not a declared attribute; declare it first (POST /v1/attribute-definitions)' },
    ]);
    expect(result.record.attributes).toEqual({ plan: 'free' });
  });

  it('requires every required attribute on create, not on update', () => {
    const missing = create({ email: 'ada@example.com' }, withRequired);
    expect(missing.problems).toEqual([{ path: 'attributes.region', message: 'is required' }]);
    expect(create({ email: 'ada@example.com', attributes: { region: 'EMEA' } }, withRequired).problems).toEqual([]);
    expect(update({ firstName: 'Ada' }, withRequired).problems).toEqual([]);
  });

  it('keeps null as "remove this attribute", except for a required one', () => {
    expect(update({ attributes: { plan: null, seats: null } })).toEqual({ record: { attributes: { plan: null, seats: null } }, problems: [] });
    expect(update({ attributes: { region: null } }, withRequired).problems).toEqual([{ path: 'attributes.region', message: 'is required and cannot be null' }]);
  });

  it.each([[['pro']], ['pro'], [null], [7]])('rejects attributes that are not an object: %p', (attributes) => {
    const result = update({ attributes });
    expect(result.problems).toEqual([{ path: 'attributes', message: 'must be an object of attribute name → value' }]);
    expect(result.record).not.toHaveProperty('attributes');
  });

  it('leaves attributes out of the record when none were given', () => {
    expect(create({ email: 'ada@example.com' }).record).not.toHaveProperty('attributes');
    expect(update({ attributes: {} }).record).toEqual({ attributes: {} });
  });
});

describe('parseLeadRecord: external ids and consent', () => {
  it('reads external ids by source system, trimming the ids', () => {
    expect(update({ externalIds: { salesforce: ' 00Q5e00000AbCdE ', 'shop-2': '42' } })).toEqual({
      record: { externalIds: { salesforce: '00Q5e00000AbCdE', 'shop-2': '42' } },
      problems: [],
    });
  });

  it('names each bad external id by its source', () => {
    const result = update({ externalIds: { Salesforce: 'a', 'has space': 'b', crm: '', erp: 42, hub: 'x'.repeat(201) } });
    expect(paths(result)).toEqual(['externalIds.Salesforce', 'externalIds.crm', 'externalIds.erp', 'externalIds.has space', 'externalIds.hub']);
    expect(messageAt(result, 'externalIds.Salesforce')).toBe('the source must be lower-case letters, digits, - and _');
    expect(messageAt(result, 'externalIds.crm')).toBe('must be an id of 1 to 200 characters');
  });

  it.each([['salesforce:1'], [['a', 'b']], [null]])('rejects externalIds that are not an object: %p', (externalIds) => {
    expect(update({ externalIds }).problems).toEqual([{ path: 'externalIds', message: 'must be an object of source system → id' }]);
  });

  it('reads consent per channel', () => {
    expect(update({ consent: { email: 'subscribed', sms: 'unsubscribed' } })).toEqual({
      record: { consent: { email: 'subscribed', sms: 'unsubscribed' } },
      problems: [],
    });
    for (const status of ['bounced', 'complained']) expect(update({ consent: { email: status } }).problems).toEqual([]);
  });

  it('names an unknown channel and an unknown status', () => {
    const result = update({ consent: { fax: 'subscribed', email: 'yes', sms: null } });
    expect(result.problems).toEqual([
      { path: 'consent.fax', message: 'is not a channel; channels: email, sms' },
      { path: 'consent.email', message: 'must be one of subscribed, unsubscribed, bounced, complained' },
      { path: 'consent.sms', message: 'must be one of subscribed, unsubscribed, bounced, complained' },
    ]);
  });

  it.each([['subscribed'], [['email']], [null]])('rejects consent that is not an object: %p', (consent) => {
    expect(update({ consent }).problems).toEqual([{ path: 'consent', message: 'must be an object of channel → status' }]);
  });
});

describe('parseLeadRecord: the whole body', () => {
  it.each([null, 'ada@example.com', [{ email: 'ada@example.com' }], 42])('rejects a body that is not an object: %p', (raw) => {
    expect(create(raw)).toEqual({ record: {}, problems: [{ path: '', message: 'must be an object' }] });
  });

  it('names each unknown top-level field', () => {
    const result = create({ email: 'ada@example.com', plan: 'pro', Email: 'x@y.com' });
    expect(result.problems).toEqual([
      { path: 'plan', message: 'is not a known field' },
      { path: 'Email', message: 'is not a known field' },
    ]);
  });

  it('reports every problem at once', () => {
    const result = create({
      email: 'nope',
      firstName: 1,
      phone: 'x',
      country: 'Germany',
      timeZone: 'Nowhere/Land',
      sourceChannel: 'a b',
      lifecycleStage: 'hot',
      ownerId: 'me',
      attributes: { seats: 'many', unknown_thing: 1 },
      externalIds: { CRM: '1' },
      consent: { email: 'maybe' },
      nickname: 'Ada',
    });
    expect(paths(result)).toEqual([
      'attributes.seats',
      'attributes.unknown_thing',
      'consent.email',
      'country',
      'email',
      'externalIds.CRM',
      'firstName',
      'lifecycleStage',
      'nickname',
      'ownerId',
      'phone',
      'sourceChannel',
      'timeZone',
    ]);
  });
});

describe('parseLeadRecord: values that look right but are not', () => {
  it.each(['2027-02-30', '2027-06-31', '2027-13-01', '2027-06-01T24:00:00Z'])('rejects the impossible date %p', (value) => {
    expect(paths(update({ attributes: { renews_on: value } }))).toEqual(['attributes.renews_on']);
  });

  it('rejects a date-time without an offset, whose meaning would depend on the server', () => {
    expect(paths(update({ attributes: { renews_on: '2027-06-01T10:00' } }))).toEqual(['attributes.renews_on']);
  });

  it('reads a date-time with an offset as that instant', () => {
    expect(update({ attributes: { renews_on: '2027-06-01T12:00:00+02:00' } }).record.attributes).toEqual({ renews_on: '2027-06-01T10:00:00.000Z' });
  });

  it.each(['---', '(((', '+ . -'])('rejects the phone %p, which has no digits', (phone) => {
    expect(paths(update({ phone }))).toEqual(['phone']);
  });

  it.each(['ZZ', 'AA', 'XX'])('rejects %p, which is not an assigned country code', (country) => {
    expect(paths(update({ country }))).toEqual(['country']);
  });

  it('reports a required attribute set to null once', () => {
    const result = create({ email: 'a@example.com', attributes: { region: null } }, withRequired);
    expect(result.problems).toEqual([{ path: 'attributes.region', message: 'is required and cannot be null' }]);
  });

  it('lets an update clear a value whose attribute is no longer declared', () => {
    expect(update({ attributes: { retired: null } })).toEqual({ record: { attributes: { retired: null } }, problems: [] });
    expect(paths(update({ attributes: { retired: 'x' } }))).toEqual(['attributes.retired']);
  });
});
