import { eventually, startStack, TestStack } from '../support/stack';

/**
 * Touchpoints from every channel, sent in batches over HTTP to real PostgreSQL and a real
 * Temporal worker: channel grouping, idempotency, all-or-nothing validation, visitors joined to
 * leads when they identify, and conversions attributed again when a late touchpoint arrives.
 */
describe('touchpoints over HTTP', () => {
  let stack: TestStack;
  let marketer: string;
  let analyst: string;
  const tag = `tp${Date.now().toString(36)}`;
  let counter = 0;
  const id = (name: string) => `${tag}-${name}-${++counter}`;
  const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
  const flowIds: string[] = [];

  const ingest = (touchpoints: unknown[], key = marketer) => stack.call('POST', '/v1/touchpoints', { key, body: { touchpoints } });
  const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

  async function createLead(extra: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
    const response = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: `${id('lead')}@example.com`, ...extra } });
    expect(response.status).toBe(201);
    return response.body;
  }

  async function createCampaign(name: string, leadId: string): Promise<string> {
    const template = await stack.call('POST', '/v1/templates', { key: marketer, body: { name: `t ${tag}`, subject: 'Hello', html: '<p>Hi</p>' } });
    const flow = await stack.call('POST', '/v1/flows', {
      key: marketer,
      body: { name: `f ${tag}`, definition: { entry: 'hello', steps: { hello: { type: 'send_email', templateId: template.body.id } } } },
    });
    flowIds.push(flow.body.id);
    const campaign = await stack.call('POST', '/v1/campaigns', {
      key: marketer,
      body: { name, flowId: flow.body.id, channel: 'email', audience: { leadIds: [leadId] }, currency: 'USD' },
    });
    expect(campaign.status).toBe(201);
    return campaign.body.id;
  }

  async function rows(externalIds: string[]) {
    return stack.sql<{
      external_id: string;
      lead_id: string | null;
      visitor_id: string | null;
      campaign_id: string | null;
      channel: string;
      type: string;
      source: string | null;
      medium: string | null;
      utm_campaign: string | null;
      url: string | null;
      properties: Record<string, unknown>;
    }>(
      `select external_id, lead_id, visitor_id, campaign_id, channel, type, source, medium, utm_campaign, url, properties
       from touchpoints where external_id = any(?::text[]) order by external_id`,
      [`{${externalIds.join(',')}}`],
    );
  }

  const countWithPrefix = async (prefix: string) =>
    Number((await stack.sql<{ n: string }>('select count(*) as n from touchpoints where external_id like ?', [`${prefix}%`]))[0].n);

  beforeAll(async () => {
    stack = await startStack();
    marketer = await stack.key('marketer');
    analyst = await stack.key('analyst');
  });

  afterAll(async () => {
    if (!stack) return;
    await stack.sql('delete from touchpoints where external_id like ?', [`${tag}%`]);
    await stack.sql('delete from leads where email like ?', [`${tag}%`]);
    if (flowIds.length > 0) {
      await stack.sql('delete from campaigns where flow_id = any(?::uuid[])', [`{${flowIds.join(',')}}`]);
      await stack.sql('delete from flows where id = any(?::uuid[])', [`{${flowIds.join(',')}}`]);
    }
    await stack.stop();
  });

  it('stores a mixed batch with channels from UTM grouping, the client, or the type', async () => {
    const ada = await createLead();
    const bob = await createLead({ externalIds: { crm: `${tag}-crm-bob` } });
    const campaignName = `Spring Launch ${tag}`;
    const campaignId = await createCampaign(campaignName, ada.id);
    const ids = { visit: id('visit'), ad: id('ad'), webinar: id('webinar'), anonymous: id('anon') };
    const visitor = id('visitor');

    const response = await ingest([
      {
        externalId: ids.visit,
        type: 'visit',
        occurredAt: ago(5),
        email: ada.email.toUpperCase(),
        utm: { source: 'google', medium: 'cpc', campaign: campaignName.toLowerCase(), term: 'crm software' },
        url: 'https://example.com/pricing',
      },
      { externalId: ids.ad, type: 'ad_click', occurredAt: ago(4), leadId: ada.id, channel: 'paid_social', campaignId, properties: { creative: 'b' } },
      { externalId: ids.webinar, type: 'webinar', occurredAt: ago(3), externalLeadId: { source: 'crm', id: `${tag}-crm-bob` }, utm: { campaign: 'no such campaign' } },
      { externalId: ids.anonymous, type: 'visit', occurredAt: ago(2), visitorId: visitor, utm: { source: 'newsletter', medium: 'email' } },
    ]);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      counts: { received: 4, accepted: 4, duplicates: 0, anonymous: 1, joined: 0, reattributed: 0 },
      results: [],
    });
    const stored = await rows(Object.values(ids));
    const byId = Object.fromEntries(stored.map((r) => [r.external_id, r]));
    expect(byId[ids.visit]).toMatchObject({
      lead_id: ada.id,
      campaign_id: campaignId,
      channel: 'paid_search',
      source: 'google',
      medium: 'cpc',
      utm_campaign: campaignName.toLowerCase(),
      url: 'https://example.com/pricing',
      properties: { utm_term: 'crm software' },
    });
    expect(byId[ids.ad]).toMatchObject({ lead_id: ada.id, campaign_id: campaignId, channel: 'paid_social', type: 'ad_click', properties: { creative: 'b' } });
    expect(byId[ids.webinar]).toMatchObject({ lead_id: bob.id, campaign_id: null, channel: 'webinar', utm_campaign: 'no such campaign' });
    expect(byId[ids.anonymous]).toMatchObject({ lead_id: null, visitor_id: visitor, channel: 'email' });
  });

  it('stores a touchpoint once however often its external id is sent', async () => {
    const visitor = id('visitor');
    const batch = [1, 2, 3].map((n) => ({ externalId: id(`idem${n}`), type: 'visit', occurredAt: ago(n), visitorId: visitor }));

    const first = await ingest(batch);
    expect(first.body.counts).toMatchObject({ received: 3, accepted: 3, duplicates: 0 });
    // Sent again, with a repeat inside the request too.
    const second = await ingest([...batch, batch[0]]);
    expect(second.status).toBe(200);
    expect(second.body.counts).toMatchObject({ received: 4, accepted: 0, duplicates: 4 });
    expect(second.body.results).toEqual([0, 1, 2, 3].map((index) => ({ index, outcome: 'duplicate' })));
    expect(await rows(batch.map((b) => b.externalId))).toHaveLength(3);
  });

  it('keeps a touchpoint whose lead is unknown under its visitor, and says so', async () => {
    const externalId = id('unknown-lead');
    const response = await ingest([{ externalId, type: 'visit', occurredAt: ago(1), email: `${id('nobody')}@example.com`, visitorId: id('visitor') }]);
    expect(response.status).toBe(200);
    expect(response.body.counts).toMatchObject({ accepted: 1, anonymous: 1 });
    expect(response.body.results).toEqual([{ index: 0, outcome: 'anonymous', detail: 'email matches no lead; kept under the visitorId' }]);
    expect((await rows([externalId]))[0].lead_id).toBeNull();
  });

  it('refuses a batch with bad items in one 422 that names every item, storing nothing', async () => {
    const prefix = id('bad');
    const good = { externalId: `${prefix}-good`, type: 'visit', occurredAt: ago(1), visitorId: id('visitor') };
    const response = await ingest([
      good,
      { ...good, externalId: `${prefix}-1`, occurredAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
      { ...good, externalId: `${prefix}-2`, type: 'Web Visit' },
      { externalId: `${prefix}-3`, type: 'visit', occurredAt: ago(1) },
      { ...good, externalId: `${prefix}-4`, leadId: 'not-a-uuid', utm: { source: 'x'.repeat(201) } },
      { ...good, externalId: undefined, colour: 'blue' },
    ]);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('TOUCHPOINTS_INVALID');
    expect(paths(response.body)).toEqual([
      'touchpoints[1].occurredAt',
      'touchpoints[2].type',
      'touchpoints[3]',
      'touchpoints[4].leadId',
      'touchpoints[4].utm.source',
      'touchpoints[5].externalId',
      'touchpoints[5].colour',
    ]);
    expect(await countWithPrefix(prefix)).toBe(0);

    // Problems only the database can find come in one 422 too: a lead to match and no visitor to fall back on.
    const unknownLead = await ingest([good, { externalId: `${prefix}-5`, type: 'visit', occurredAt: ago(1), email: `${id('nobody')}@example.com` }]);
    expect(unknownLead.status).toBe(422);
    expect(paths(unknownLead.body)).toEqual(['touchpoints[1].email']);
    expect(await countWithPrefix(prefix)).toBe(0);
  });

  it('refuses more than 10,000 touchpoints in one request, naming the list', async () => {
    const prefix = id('over');
    const touchpoints = Array.from({ length: 10_001 }, (_, n) => ({ externalId: `${prefix}-${n}`, type: 'visit', occurredAt: ago(1), visitorId: 'v' }));
    const response = await ingest(touchpoints);
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([{ path: 'touchpoints', message: expect.stringContaining('at most 10000') }]);
    expect(await countWithPrefix(prefix)).toBe(0);
  });

  it('accepts 10,000 touchpoints in one request', async () => {
    const prefix = id('bulk');
    const touchpoints = Array.from({ length: 10_000 }, (_, n) => ({
      externalId: `${prefix}-${n}`,
      type: n % 2 === 0 ? 'visit' : 'ad_click',
      occurredAt: ago(1 + (n % 500)),
      visitorId: `${prefix}-visitor-${n % 1_000}`,
      utm: { source: n % 3 === 0 ? 'google' : 'facebook', medium: n % 3 === 0 ? 'cpc' : 'social' },
    }));
    const response = await ingest(touchpoints, analyst);
    expect(response.status).toBe(200);
    expect(response.body.counts).toEqual({ received: 10_000, accepted: 10_000, duplicates: 0, anonymous: 10_000, joined: 0, reattributed: 0 });
    expect(await countWithPrefix(prefix)).toBe(10_000);
  });

  it('joins a visitor\'s anonymous touchpoints to the lead when a later touchpoint names both', async () => {
    const lead = await createLead();
    const visitor = id('visitor');
    const anonymous = [id('a'), id('a')];
    await ingest(anonymous.map((externalId, n) => ({ externalId, type: 'visit', occurredAt: ago(10 - n), visitorId: visitor })));
    expect((await rows(anonymous)).map((r) => r.lead_id)).toEqual([null, null]);

    const named = id('named');
    const response = await ingest([{ externalId: named, type: 'visit', occurredAt: ago(1), email: lead.email, visitorId: visitor }]);
    expect(response.body.counts).toMatchObject({ accepted: 1, anonymous: 0, joined: 2 });
    expect((await rows([...anonymous, named])).map((r) => r.lead_id)).toEqual([lead.id, lead.id, lead.id]);
  });

  it('joins a visitor\'s anonymous touchpoints to a lead through /identify', async () => {
    const lead = await createLead();
    const visitor = id('visitor');
    const anonymous = [id('b'), id('b'), id('b')];
    await ingest(anonymous.map((externalId, n) => ({ externalId, type: 'visit', occurredAt: ago(10 - n), visitorId: visitor })));

    const identified = await stack.call('POST', '/v1/touchpoints/identify', { key: analyst, body: { visitorId: visitor, email: lead.email } });
    expect(identified.status).toBe(200);
    expect(identified.body).toEqual({ leadId: lead.id, joined: 3, reattributed: 0 });
    expect((await rows(anonymous)).map((r) => r.lead_id)).toEqual([lead.id, lead.id, lead.id]);
    const again = await stack.call('POST', '/v1/touchpoints/identify', { key: analyst, body: { visitorId: visitor, leadId: lead.id } });
    expect(again.body).toEqual({ leadId: lead.id, joined: 0, reattributed: 0 });

    const unknown = await stack.call('POST', '/v1/touchpoints/identify', { key: analyst, body: { visitorId: visitor, email: `${id('nobody')}@example.com` } });
    expect(unknown.status).toBe(422);
    expect(paths(unknown.body)).toEqual(['email']);
    const neither = await stack.call('POST', '/v1/touchpoints/identify', { key: analyst, body: { visitorId: visitor } });
    expect(neither.status).toBe(422);
    expect(paths(neither.body)).toEqual(['leadId']);
  });

  it('attributes a conversion again when a late touchpoint lands in its look-back window', async () => {
    const lead = await createLead();
    const first = id('first');
    expect((await ingest([{ externalId: first, type: 'visit', occurredAt: ago(48), leadId: lead.id, utm: { source: 'google', medium: 'cpc' } }])).status).toBe(200);

    const conversion = await stack.call('POST', '/v1/conversions', { key: marketer, body: { leadId: lead.id, value: '100.00', currency: 'USD', occurredAt: ago(1) } });
    expect(conversion.status).toBe(201);
    const linear = () =>
      stack.sql<{ touchpoint_id: string; credit: number; revenue_minor: string }>(
        `select touchpoint_id, credit, revenue_minor from attribution_credits where conversion_id = ? and model = 'linear' order by touchpoint_id`,
        [conversion.body.id],
      );
    await eventually(async () => ((await linear()).length === 1 ? true : undefined), 60_000, 'the conversion to be attributed');

    // Older than the look-back window: nothing to attribute again.
    const tooOld = await ingest([{ externalId: id('old'), type: 'event', occurredAt: ago(24 * 100), leadId: lead.id }]);
    expect(tooOld.body.counts).toMatchObject({ accepted: 1, reattributed: 0 });

    const late = id('late');
    const response = await ingest([{ externalId: late, type: 'webinar', occurredAt: ago(24 * 10), email: lead.email }]);
    expect(response.body.counts).toMatchObject({ accepted: 1, reattributed: 1 });
    const touchIds = (await stack.sql<{ id: string }>('select id from touchpoints where external_id = any(?::text[])', [`{${first},${late}}`])).map((r) => r.id).sort();

    const credits = await eventually(async () => {
      const current = await linear();
      return current.length === 2 ? current : undefined;
    }, 60_000, 'the conversion to be attributed again');
    expect(credits.map((c) => c.touchpoint_id).sort()).toEqual(touchIds);
    expect(credits.reduce((sum, c) => sum + Number(c.credit), 0)).toBeCloseTo(1, 10);
    expect(credits.map((c) => Number(c.credit))).toEqual([0.5, 0.5]);
    expect(credits.reduce((sum, c) => sum + BigInt(c.revenue_minor), 0n)).toBe(10_000n);
  });

  it('refuses keys whose role may not record touchpoints', async () => {
    const sales = await stack.key('sales');
    const batch = await ingest([{ externalId: id('sales'), type: 'visit', occurredAt: ago(1), visitorId: 'v' }], sales);
    expect(batch.status).toBe(403);
    expect(batch.body.code).toBe('FORBIDDEN');
    const identify = await stack.call('POST', '/v1/touchpoints/identify', { key: sales, body: { visitorId: 'v', email: 'a@example.com' } });
    expect(identify.status).toBe(403);
  });
});
