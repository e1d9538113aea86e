import { eventually, startStack, TestStack } from '../support/stack';

/**
 * The channel taxonomy over HTTP: an analyst's rules put in front of the defaults, seen back
 * whole, used by touchpoint ingestion at once on the API that took them and within seconds on
 * another; bad rules refused with every problem named and nothing changed; roles.
 *
 * Other files ingest touchpoints into the same database meanwhile, so every rule here matches
 * only sources and media that hold this file's tag, and the rules found at the start are put
 * back at the end.
 */
describe('channel rules over HTTP', () => {
  let stack: TestStack;
  /** A second API process on the same database, as behind a load balancer. */
  let other: TestStack;
  const keys = {} as Record<'admin' | 'analyst' | 'marketer' | 'sales', string>;
  let previous: unknown[] = [];
  const tag = `cr${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  let counter = 0;
  const id = (name: string) => `${tag}-${name}-${++counter}`;

  const getRules = (key = keys.analyst) => stack.call('GET', '/v1/channel-rules', { key });
  const putRules = (rules: unknown, key = keys.analyst, on = stack) => on.call('PUT', '/v1/channel-rules', { key, body: { rules } });
  const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);
  /** How many of this file's touchpoints are stored on the channel partners. */
  const storedAsPartners = async () =>
    (await stack.sql<{ n: string }>("select count(*) as n from touchpoints where external_id like ? and channel = 'partners'", [`${tag}%`]))[0].n;

  /** Ingests one anonymous touchpoint per entry and answers the channel each was stored with, in order. */
  async function channelsOf(items: { source?: string; medium?: string; channel?: string }[], on = stack): Promise<string[]> {
    const touchpoints = items.map(({ source, medium, channel }) => ({
      externalId: id('tp'),
      type: 'visit',
      occurredAt: new Date().toISOString(),
      visitorId: `${tag}-visitor`,
      utm: { ...(source !== undefined ? { source } : {}), ...(medium !== undefined ? { medium } : {}) },
      ...(channel ? { channel } : {}),
    }));
    const response = await on.call('POST', '/v1/touchpoints', { key: keys.marketer, body: { touchpoints } });
    expect(response.status).toBe(200);
    const rows = await stack.sql<{ external_id: string; channel: string }>('select external_id, channel from touchpoints where external_id = any(?::text[])', [
      `{${touchpoints.map((t) => t.externalId).join(',')}}`,
    ]);
    const byId = new Map(rows.map((r) => [r.external_id, r.channel]));
    return touchpoints.map((t) => byId.get(t.externalId) ?? 'not stored');
  }

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    other = await startStack({ worker: false });
    for (const role of ['admin', 'analyst', 'marketer', 'sales'] as const) keys[role] = await stack.key(role);
    previous = (await getRules(keys.admin)).body.rules;
  });

  afterAll(async () => {
    if (!stack) return;
    await putRules(previous, keys.admin);
    await stack.sql('delete from touchpoints where external_id like ?', [`${tag}%`]);
    await other?.stop();
    await stack.stop();
  });

  it('puts an analyst\'s rules in front of the defaults and groups new touchpoints by them', async () => {
    const put = await putRules([
      { channel: 'partners', source: `${tag}-ACME*` },
      { channel: 'partner_email', source: [`${tag}-beta`, `  ${tag}-gamma.io `], medium: '*newsletter*' },
      { channel: 'partners', medium: `${tag}.(cpc)+` },
    ]);
    expect(put.status).toBe(200);
    const expected = [
      { channel: 'partners', source: `${tag}-acme*` },
      { channel: 'partner_email', source: [`${tag}-beta`, `${tag}-gamma.io`], medium: '*newsletter*' },
      { channel: 'partners', medium: `${tag}.(cpc)+` },
    ];
    expect(put.body.rules).toEqual(expected);

    // Anyone who may read it sees the whole taxonomy: these rules, then the defaults, and what is left.
    const got = await getRules(keys.marketer);
    expect(got.status).toBe(200);
    expect(got.body.rules).toEqual(expected);
    expect(got.body.updatedAt).toEqual(expect.any(String));
    expect(got.body.defaults).toEqual(expect.arrayContaining([{ channel: 'organic_search', medium: 'organic' }]));
    expect(got.body.defaults.some((rule: { channel: string; source?: string[] }) => rule.channel === 'paid_search' && rule.source?.includes('google'))).toBe(true);
    expect(got.body.fallback.map((f: { channel: string }) => f.channel)).toEqual(['referral', 'other']);
    expect(got.body.channels.slice(0, 2)).toEqual(['partners', 'partner_email']);
    expect(got.body.channels).toEqual(expect.arrayContaining(['paid_search', 'email', 'referral', 'other']));

    // The API that took the rules uses them at once.
    expect(
      await channelsOf([
        { source: `${tag.toUpperCase()}-Acme.io`, medium: 'cpc' }, // the rule wins over the default paid_search
        { source: `${tag}-gamma.io`, medium: 'weekly-newsletter' },
        { source: `${tag}-beta`, medium: 'cpc' }, // the medium does not match: the defaults decide
        { source: `${tag}xacme.io` }, // no rule of ours: an unknown site, so referral
        { medium: `${tag}.(cpc)+` }, // regular-expression characters are literal
        { medium: `${tag}x(cpc)+` },
        { medium: `${tag}.cpccpc` },
        { source: `${tag}-acme`, channel: 'events' }, // the client's own channel still wins
        { source: 'google', medium: 'organic' },
      ]),
    ).toEqual(['partners', 'partner_email', 'paid_search', 'referral', 'partners', 'other', 'other', 'events', 'organic_search']);
  });

  it('leaves stored touchpoints as they are when the rules change, and only the defaults when they are cleared', async () => {
    expect((await putRules([{ channel: 'partners', source: `${tag}-delta` }])).status).toBe(200);
    const [before] = await channelsOf([{ source: `${tag}-delta`, medium: 'cpc' }]);
    expect(before).toBe('partners');
    const stored = await storedAsPartners();

    const cleared = await putRules([]);
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ rules: [], updatedAt: null });
    expect(await channelsOf([{ source: `${tag}-delta`, medium: 'cpc' }])).toEqual(['paid_search']);
    expect(await storedAsPartners()).toBe(stored);
  });

  it('reaches another API process within seconds', async () => {
    expect((await putRules([{ channel: 'partners', source: `${tag}-epsilon` }])).status).toBe(200);
    // The other process holds the rules it has read...
    expect(await channelsOf([{ source: `${tag}-epsilon`, medium: 'cpc' }], other)).toEqual(['partners']);

    // ...until it sees they changed.
    expect((await putRules([{ channel: 'affiliates', source: `${tag}-epsilon` }])).status).toBe(200);
    const seen = await eventually(
      async () => {
        const [channel] = await channelsOf([{ source: `${tag}-epsilon`, medium: 'cpc' }], other);
        return channel === 'affiliates' ? channel : undefined;
      },
      60_000,
      'the other API process to use the new rules',
    );
    expect(seen).toBe('affiliates');
  });

  it('refuses bad rules with every problem named, and changes nothing', async () => {
    expect((await putRules([{ channel: 'partners', source: `${tag}-zeta` }])).status).toBe(200);
    const before = (await getRules()).body;

    const response = await putRules([
      { channel: 'Partners!', source: `${tag}-a` },
      { channel: 'fine' },
      { channel: 'fine', source: ['ok', 42, '*a'.repeat(9)], medium: [] },
      { channel: 'x'.repeat(33), source: 'y'.repeat(201), referrer: 'z' },
      { channel: 'fine', source: `${tag}-zeta` },
      { channel: 'other_one', source: `${tag}-ZETA` },
    ]);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 400, code: 'INPUT_INVALID', instance: '/v1/channel-rules' });
    expect(paths(response.body)).toEqual([
      'rules[0].channel',
      'rules[1]',
      'rules[2].source[1]',
      'rules[2].source[2]',
      'rules[2].medium',
      'rules[3].channel',
      'rules[3].source',
      'rules[3].referrer',
      'rules[5]',
    ]);
    expect(response.body.errors[1].message).toBe('needs a source or a medium pattern (or both)');

    const tooMany = await putRules(Array.from({ length: 201 }, (_, i) => ({ channel: 'partners', source: `${tag}-${i}` })));
    expect(tooMany.status).toBe(400);
    expect(paths(tooMany.body)).toEqual(['rules']);
    const notAList = await stack.call('PUT', '/v1/channel-rules', { key: keys.analyst, body: {} });
    expect(notAList.status).toBe(400);
    expect(paths(notAList.body)).toEqual(['rules']);

    expect((await getRules()).body).toEqual(before);
    expect(await channelsOf([{ source: `${tag}-zeta` }])).toEqual(['partners']);
  });

  it('lets marketers and analysts read the rules, only analysts (and admins) change them', async () => {
    expect((await getRules(keys.sales)).status).toBe(403);
    expect((await putRules([], keys.sales)).status).toBe(403);
    expect((await getRules(keys.marketer)).status).toBe(200);
    const byMarketer = await putRules([{ channel: 'partners', source: `${tag}-eta` }], keys.marketer);
    expect(byMarketer.status).toBe(403);
    expect(byMarketer.body.code).toBe('FORBIDDEN');
    expect((await getRules()).body.rules).not.toContainEqual({ channel: 'partners', source: `${tag}-eta` });
    expect((await putRules([{ channel: 'partners', source: `${tag}-eta` }], keys.admin)).status).toBe(200);
    expect((await getRules(keys.admin)).body.rules).toEqual([{ channel: 'partners', source: `${tag}-eta` }]);
  });
});
