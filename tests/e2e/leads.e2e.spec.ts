import { randomUUID } from 'node:crypto';
import { hashApiKey } from '@ce/auth';
import { startStack, TestStack } from '../support/stack';

/** Leads as an API user sees them: writes, upserts, batches, lists, timelines, erasure and merges. */
describe('leads over HTTP', () => {
  let stack: TestStack;
  let key: string;
  let salesKey: string;
  const tag = `l${Date.now().toString(36)}`;
  let counter = 0;
  const email = (name: string) => `${name}-${tag}-${++counter}@example.com`;
  const tier = `tier_${tag}`;
  const seats = `seats_${tag}`;
  const renews = `renews_${tag}`;
  const definitionIds: string[] = [];
  const flowIds: string[] = [];
  const UNKNOWN = '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21';

  const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path).sort();
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

  async function createLead(body: Record<string, unknown>): Promise<{ id: string; email: string }> {
    const response = await stack.call('POST', '/v1/leads', { key, body });
    expect(response.status).toBe(201);
    return response.body;
  }

  async function addTouchpoint(leadId: string, type: string, at: Date, campaignId: string | null = null): Promise<string> {
    const [row] = await stack.sql<{ id: string }>(
      `insert into touchpoints (id, lead_id, campaign_id, channel, type, occurred_at, url, properties)
       values (gen_random_uuid(), ?, ?, 'email', ?, ?, ?, '{}'::jsonb) returning id`,
      [leadId, campaignId, type, at, type === 'click' ? 'https://example.com/pricing' : null],
    );
    return row.id;
  }

  /** A sent message needs an enrollment in a campaign of a flow; no endpoint makes one without a worker. */
  async function addSentMessage(leadId: string, sentAt: Date): Promise<{ campaignId: string; messageId: string }> {
    const [flow] = await stack.sql<{ id: string }>(`insert into flows (id, name) values (gen_random_uuid(), ?) returning id`, [`flow ${tag}`]);
    flowIds.push(flow.id);
    const [version] = await stack.sql<{ id: string }>(
      `insert into flow_versions (id, flow_id, version, definition) values (gen_random_uuid(), ?, 1, ?::jsonb) returning id`,
      [flow.id, JSON.stringify({ entry: 'welcome', steps: { welcome: { type: 'wait', duration: '1 day' } } })],
    );
    const [campaign] = await stack.sql<{ id: string }>(
      `insert into campaigns (id, name, flow_id, flow_version_id, channel, status, audience, currency)
       values (gen_random_uuid(), ?, ?, ?, 'email', 'completed', ?::jsonb, 'USD') returning id`,
      [`campaign ${tag}`, flow.id, version.id, JSON.stringify({ leadIds: [leadId] })],
    );
    const [enrollment] = await stack.sql<{ id: string }>(
      `insert into enrollments (id, campaign_id, lead_id, flow_version_id, workflow_id) values (gen_random_uuid(), ?, ?, ?, ?) returning id`,
      [campaign.id, leadId, version.id, `seeded-${campaign.id}`],
    );
    const [message] = await stack.sql<{ id: string }>(
      `insert into messages (id, idempotency_key, enrollment_id, campaign_id, lead_id, step_id, channel, status, subject, sent_at)
       values (gen_random_uuid(), ?, ?, ?, ?, 'welcome', 'email', 'sent', 'Welcome aboard', ?) returning id`,
      [`seeded-${enrollment.id}`, enrollment.id, campaign.id, leadId, sentAt],
    );
    return { campaignId: campaign.id, messageId: message.id };
  }

  const count = async (table: string, leadId: string) =>
    (await stack.sql<{ n: number }>(`select count(*)::int as n from ${table} where lead_id = ?`, [leadId]))[0].n;

  const keyId = async (apiKey: string) =>
    (await stack.sql<{ id: string }>('select id from api_keys where key_hash = ?', [hashApiKey(apiKey)]))[0].id;

  async function timeline(leadId: string, query = ''): Promise<{ items: { at: string; kind: string; type: string; id: string; campaignId: string | null; data: Record<string, unknown> }[]; nextBefore: string | null }> {
    const response = await stack.call('GET', `/v1/leads/${leadId}/timeline${query}`, { key });
    expect(response.status).toBe(200);
    return response.body;
  }

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    key = await stack.key('marketer');
    salesKey = await stack.key('sales');
    for (const body of [
      { name: tier, type: 'enum', options: ['free', 'pro', 'team'] },
      { name: seats, type: 'number' },
      { name: renews, type: 'date' },
    ]) {
      const response = await stack.call('POST', '/v1/attribute-definitions', { key, body });
      expect(response.status).toBe(201);
      definitionIds.push(response.body.id);
    }
  });

  afterAll(async () => {
    if (!stack) return;
    await stack.sql('delete from leads where email like ?', [`%${tag}%`]);
    if (flowIds.length > 0) {
      await stack.sql('delete from campaigns where flow_id = any(?::uuid[])', [`{${flowIds.join(',')}}`]);
      await stack.sql('delete from flows where id = any(?::uuid[])', [`{${flowIds.join(',')}}`]);
    }
    for (const id of definitionIds) await stack.call('DELETE', `/v1/attribute-definitions/${id}`, { key });
    await stack.stop();
  });

  describe('creating and reading', () => {
    it('creates a lead with every field and reads it back normalised', async () => {
      const address = email('ada');
      const owner = randomUUID();
      const created = await stack.call('POST', '/v1/leads', {
        key,
        body: {
          email: `  ${address.toUpperCase()} `,
          firstName: 'Ada',
          lastName: 'Lovelace',
          company: 'Analytical Engines',
          jobTitle: 'CTO',
          phone: '+44 20 7946 0000',
          country: 'gb',
          timeZone: 'Europe/London',
          sourceChannel: 'Web',
          lifecycleStage: 'mql',
          ownerId: owner,
          attributes: { [tier]: 'pro', [seats]: 12, [renews]: '2027-03-01' },
          externalIds: { crm: `crm-${tag}-ada` },
          consent: { email: 'subscribed', sms: 'unsubscribed' },
        },
      });
      expect(created.status).toBe(201);
      const expected = {
        id: created.body.id,
        email: address,
        firstName: 'Ada',
        lastName: 'Lovelace',
        company: 'Analytical Engines',
        jobTitle: 'CTO',
        phone: '+44 20 7946 0000',
        country: 'GB',
        timeZone: 'Europe/London',
        sourceChannel: 'web',
        lifecycleStage: 'mql',
        score: 0,
        ownerId: owner,
        attributes: { [tier]: 'pro', [seats]: 12, [renews]: '2027-03-01T00:00:00.000Z' },
        externalIds: { crm: `crm-${tag}-ada` },
        consent: {
          email: { status: 'subscribed', source: 'api', changedAt: expect.any(String) },
          sms: { status: 'unsubscribed', source: 'api', changedAt: expect.any(String) },
        },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      };
      expect(created.body).toEqual(expected);
      const read = await stack.call('GET', `/v1/leads/${created.body.id}`, { key });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(expected);
    });

    it('refuses a second lead with the same email in another case or with spaces, as 409 naming email', async () => {
      const address = email('twice');
      await createLead({ email: address });
      const again = await stack.call('POST', '/v1/leads', { key, body: { email: `  ${address.toUpperCase()}\t` } });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('CONFLICT');
      expect(paths(again.body)).toEqual(['email']);
    });

    it('reports every bad field of a lead in one 400', async () => {
      const response = await stack.call('POST', '/v1/leads', {
        key,
        body: {
          email: 'ada@nowhere',
          firstName: 42,
          phone: 'call me',
          country: 'Britain',
          timeZone: 'Mars/Olympus',
          sourceChannel: 'paid search',
          lifecycleStage: 'hot',
          ownerId: 'me',
          attributes: { [seats]: 'twelve', [renews]: 'soon', [tier]: 'gold', [`nope_${tag}`]: 1 },
          externalIds: { CRM: 'x' },
          consent: { fax: 'subscribed', email: 'yes' },
          nickname: 'Ada',
        },
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('INPUT_INVALID');
      expect(paths(response.body)).toEqual(
        [
          'email',
          'firstName',
          'phone',
          'country',
          'timeZone',
          'sourceChannel',
          'lifecycleStage',
          'ownerId',
          `attributes.${seats}`,
          `attributes.${renews}`,
          `attributes.${tier}`,
          `attributes.nope_${tag}`,
          'externalIds.CRM',
          'consent.fax',
          'consent.email',
          'nickname',
        ].sort(),
      );
    });

    it('answers 404 for a lead that does not exist', async () => {
      const response = await stack.call('GET', `/v1/leads/${UNKNOWN}`, { key });
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });
  });

  describe('PUT /v1/leads (upsert by email)', () => {
    it('creates, then reports the same body as unchanged, then a change as updated, keeping fields left out', async () => {
      const address = email('upsert');
      const body = { email: address, firstName: 'Grace', company: 'Navy', attributes: { [tier]: 'team' }, consent: { email: 'subscribed' } };
      const first = await stack.call('PUT', '/v1/leads', { key, body });
      expect(first.status).toBe(200);
      expect(first.body.outcome).toBe('created');
      expect(first.body.lead).toMatchObject({ email: address, firstName: 'Grace', company: 'Navy', attributes: { [tier]: 'team' } });

      const again = await stack.call('PUT', '/v1/leads', { key, body: { ...body, email: address.toUpperCase() } });
      expect(again.body.outcome).toBe('unchanged');
      expect(again.body.lead.id).toBe(first.body.lead.id);
      expect(again.body.lead.updatedAt).toBe(first.body.lead.updatedAt);

      const changed = await stack.call('PUT', '/v1/leads', { key, body: { email: address, lastName: 'Hopper', attributes: { [seats]: 3 } } });
      expect(changed.body.outcome).toBe('updated');
      expect(changed.body.lead).toMatchObject({
        id: first.body.lead.id,
        firstName: 'Grace',
        lastName: 'Hopper',
        company: 'Navy',
        attributes: { [tier]: 'team', [seats]: 3 },
        consent: { email: { status: 'subscribed' } },
      });
      expect(new Date(changed.body.lead.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(first.body.lead.updatedAt).getTime());

      const read = await stack.call('GET', `/v1/leads/${first.body.lead.id}`, { key });
      expect(read.body).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', company: 'Navy' });
    });

    it('counts a consent change as an update', async () => {
      const address = email('upsert-consent');
      await stack.call('PUT', '/v1/leads', { key, body: { email: address, consent: { email: 'subscribed' } } });
      const changed = await stack.call('PUT', '/v1/leads', { key, body: { email: address, consent: { email: 'unsubscribed' } } });
      expect(changed.body.outcome).toBe('updated');
      expect(changed.body.lead.consent.email).toMatchObject({ status: 'unsubscribed', source: 'api' });
    });

    it('needs an email and rejects bad fields with 400', async () => {
      const response = await stack.call('PUT', '/v1/leads', { key, body: { firstName: 'Nobody', country: 'Nowhere' } });
      expect(response.status).toBe(400);
      expect(paths(response.body)).toEqual(['country', 'email']);
    });
  });

  describe('POST /v1/leads/batch', () => {
    it('writes the valid leads, rejects the invalid ones with their errors, and folds duplicates by email', async () => {
      const fresh = email('batch-new');
      const other = email('batch-other');
      const existing = await createLead({ email: email('batch-existing'), firstName: 'Old' });
      const untouched = await createLead({ email: email('batch-untouched'), firstName: 'Same' });
      const leads = [
        { email: fresh, firstName: 'First', company: 'Kept' },
        { email: 'not-an-email', country: 'Atlantis' },
        { email: other, attributes: { [tier]: 'free' } },
        { email: `  ${fresh.toUpperCase()} `, firstName: 'Second' },
        { email: email('batch-bad-attribute'), attributes: { [`undeclared_${tag}`]: true } },
        { email: existing.email, firstName: 'New' },
        { email: untouched.email, firstName: 'Same' },
      ];
      const response = await stack.call('POST', '/v1/leads/batch', { key, body: { leads } });
      expect(response.status).toBe(200);
      const { counts, results } = response.body;
      expect(counts).toEqual({ created: 2, updated: 1, unchanged: 1, merged: 1, rejected: 2 });
      expect(results.map((r: { index: number }) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(results.map((r: { outcome: string }) => r.outcome)).toEqual(['created', 'rejected', 'created', 'merged', 'rejected', 'updated', 'unchanged']);
      expect(results[3].mergedInto).toBe(0);
      expect(results[1]).toEqual({
        index: 1,
        outcome: 'rejected',
        errors: [
          { path: 'email', message: 'must be a valid email address' },
          { path: 'country', message: 'must be a two-letter ISO 3166 country code' },
        ],
      });
      expect(results[4].errors.map((e: { path: string }) => e.path)).toEqual([`attributes.undeclared_${tag}`]);
      expect(results[1].id).toBeUndefined();
      expect(results[3].id).toBe(results[0].id);
      expect(results[5].id).toBe(existing.id);
      expect(results[6].id).toBe(untouched.id);

      const written = await stack.call('GET', `/v1/leads/${results[0].id}`, { key });
      expect(written.body).toMatchObject({ email: fresh, firstName: 'Second', company: 'Kept' });
      expect((await stack.call('GET', `/v1/leads/${results[2].id}`, { key })).body).toMatchObject({ email: other, attributes: { [tier]: 'free' } });
      expect((await stack.call('GET', `/v1/leads/${existing.id}`, { key })).body.firstName).toBe('New');

      const again = await stack.call('POST', '/v1/leads/batch', { key, body: { leads } });
      expect(again.body.counts).toEqual({ created: 0, updated: 0, unchanged: 4, merged: 1, rejected: 2 });
      expect(again.body.results.map((r: { id?: string }) => r.id)).toEqual(results.map((r: { id?: string }) => r.id));
    });

    it('refuses more than 10,000 leads, or none, as 400 naming leads', async () => {
      const tooMany = await stack.call('POST', '/v1/leads/batch', { key, body: { leads: Array.from({ length: 10_001 }, () => ({})) } });
      expect(tooMany.status).toBe(400);
      expect(paths(tooMany.body)).toEqual(['leads']);
      const none = await stack.call('POST', '/v1/leads/batch', { key, body: { leads: [] } });
      expect(none.status).toBe(400);
      expect(paths(none.body)).toEqual(['leads']);
      const notAList = await stack.call('POST', '/v1/leads/batch', { key, body: { leads: { email: email('x') } } });
      expect(paths(notAList.body)).toContain('leads');
    });
  });

  describe('GET /v1/leads', () => {
    const group = `list-${tag}`;
    const owner = randomUUID();
    let early: { id: string };
    let middle: { id: string };
    let late: { id: string };
    let literal: { id: string; email: string };

    const list = async (query: string) => {
      const response = await stack.call('GET', `/v1/leads?${query}`, { key });
      expect(response.status).toBe(200);
      return response.body as { items: { id: string; email: string }[]; nextCursor: string | null };
    };
    const ids = (page: { items: { id: string }[] }) => page.items.map((l) => l.id).sort();
    const inGroup = `emailContains=${encodeURIComponent(group)}`;

    beforeAll(async () => {
      early = await createLead({ email: `${group}-a@example.com`, lifecycleStage: 'mql', ownerId: owner });
      middle = await createLead({ email: `${group}-b@example.com`, lifecycleStage: 'sql' });
      late = await createLead({ email: `${group}-c@example.com`, lifecycleStage: 'mql' });
      literal = await createLead({ email: `list_${tag}%d@example.com` });
      await stack.sql('update leads set score = ? where id = ?', [10, early.id]);
      await stack.sql('update leads set score = ? where id = ?', [50, middle.id]);
      await stack.sql('update leads set score = ? where id = ?', [90, late.id]);
      await stack.sql(`update leads set created_at = '2020-01-01T00:00:00Z' where id = ?`, [early.id]);
    });

    it('filters by lifecycle stage', async () => {
      expect(ids(await list(`${inGroup}&lifecycleStage=mql`))).toEqual([early.id, late.id].sort());
      expect(ids(await list(`${inGroup}&lifecycleStage=customer`))).toEqual([]);
    });

    it('filters by score bounds, each inclusive', async () => {
      expect(ids(await list(`${inGroup}&minScore=50`))).toEqual([middle.id, late.id].sort());
      expect(ids(await list(`${inGroup}&maxScore=50`))).toEqual([early.id, middle.id].sort());
      expect(ids(await list(`${inGroup}&minScore=11&maxScore=89`))).toEqual([middle.id]);
    });

    it('filters by creation time and owner', async () => {
      expect(ids(await list(`${inGroup}&createdAfter=2021-01-01T00:00:00Z`))).toEqual([middle.id, late.id].sort());
      expect(ids(await list(`${inGroup}&createdBefore=2021-01-01T00:00:00Z`))).toEqual([early.id]);
      expect(ids(await list(`ownerId=${owner}`))).toEqual([early.id]);
    });

    it('matches emailContains literally, % and _ included, whatever its case', async () => {
      // As wildcards, `_` would match the `-` of the group and `%` anything.
      expect(ids(await list(`emailContains=${encodeURIComponent(`LIST_${tag}`)}`))).toEqual([literal.id]);
      expect(ids(await list(`emailContains=${encodeURIComponent(`${tag}%`)}`))).toEqual([literal.id]);
    });

    it('walks every matching lead exactly once, a page at a time', async () => {
      for (const limit of [1, 2]) {
        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        do {
          const page = await list(`${inGroup}&limit=${limit}${after ? `&after=${after}` : ''}`);
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items.map((l) => l.id));
          after = page.nextCursor;
          pages++;
        } while (after && pages < 10);
        expect(seen.sort()).toEqual([early.id, middle.id, late.id].sort());
        expect(new Set(seen).size).toBe(3);
      }
    });

    it('names each bad filter in one 400', async () => {
      const response = await stack.call(
        'GET',
        '/v1/leads?limit=0&minScore=abc&maxScore=1.5&createdAfter=yesterday&createdBefore=2026-13-45&lifecycleStage=hot&ownerId=me&after=xyz&sort=name',
        { key },
      );
      expect(response.status).toBe(400);
      expect(paths(response.body)).toEqual(
        ['after', 'createdAfter', 'createdBefore', 'lifecycleStage', 'limit', 'maxScore', 'minScore', 'ownerId', 'sort'].sort(),
      );
      const tooBig = await stack.call('GET', '/v1/leads?limit=501', { key });
      expect(paths(tooBig.body)).toEqual(['limit']);
    });
  });

  describe('PATCH /v1/leads/:id', () => {
    it('changes only the fields given, clears with null, removes attributes with null, and records stage and consent changes', async () => {
      const lead = await createLead({
        email: email('patch'),
        firstName: 'Linus',
        company: 'Kernel Ltd',
        lifecycleStage: 'lead',
        attributes: { [tier]: 'pro', [seats]: 5 },
        consent: { email: 'subscribed' },
      });
      const response = await stack.call('PATCH', `/v1/leads/${lead.id}`, {
        key,
        body: { lifecycleStage: 'sql', company: null, attributes: { [seats]: null }, consent: { email: 'unsubscribed' } },
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ firstName: 'Linus', company: null, lifecycleStage: 'sql', attributes: { [tier]: 'pro' } });
      expect(response.body.attributes).not.toHaveProperty(seats);
      expect(response.body.consent.email).toMatchObject({ status: 'unsubscribed', source: 'api' });
      expect(await stack.call('GET', `/v1/leads/${lead.id}`, { key }).then((r) => r.body)).toMatchObject({ company: null, lifecycleStage: 'sql' });

      const events = (await timeline(lead.id)).items.filter((e) => e.kind === 'event');
      expect(events.find((e) => e.type === 'stage_changed')?.data).toMatchObject({ from: 'lead', to: 'sql' });
      expect(events.filter((e) => e.type === 'consent_changed').map((e) => e.data.status).sort()).toEqual(['subscribed', 'unsubscribed']);
    });

    it('refuses another lead\'s email as 409 and leaves the lead as it was', async () => {
      const taken = await createLead({ email: email('taken') });
      const lead = await createLead({ email: email('mine') });
      const response = await stack.call('PATCH', `/v1/leads/${lead.id}`, { key, body: { email: taken.email.toUpperCase(), firstName: 'Changed' } });
      expect(response.status).toBe(409);
      expect(paths(response.body)).toEqual(['email']);
      expect((await stack.call('GET', `/v1/leads/${lead.id}`, { key })).body).toMatchObject({ email: lead.email, firstName: null });
    });

    it('answers 404 for an unknown lead and 400 for bad fields', async () => {
      expect((await stack.call('PATCH', `/v1/leads/${UNKNOWN}`, { key, body: { firstName: 'Nobody' } })).status).toBe(404);
      const lead = await createLead({ email: email('patch-bad') });
      const bad = await stack.call('PATCH', `/v1/leads/${lead.id}`, { key, body: { email: null, lifecycleStage: 'hot', attributes: { [seats]: '5' } } });
      expect(bad.status).toBe(400);
      expect(paths(bad.body)).toEqual([`attributes.${seats}`, 'email', 'lifecycleStage']);
    });
  });

  describe('PUT /v1/leads/:id/consent/:channel', () => {
    it('records the change on the lead and on its timeline, once', async () => {
      const lead = await createLead({ email: email('consent'), consent: { email: 'subscribed' } });
      const response = await stack.call('PUT', `/v1/leads/${lead.id}/consent/email`, { key, body: { status: 'unsubscribed' } });
      expect(response.status).toBe(200);
      expect(response.body.consent.email).toMatchObject({ status: 'unsubscribed', source: 'api' });
      expect((await stack.call('GET', `/v1/leads/${lead.id}`, { key })).body.consent.email.status).toBe('unsubscribed');

      expect((await stack.call('PUT', `/v1/leads/${lead.id}/consent/email`, { key, body: { status: 'unsubscribed' } })).status).toBe(200);
      const changes = (await timeline(lead.id)).items.filter((e) => e.type === 'consent_changed' && e.data.status === 'unsubscribed');
      expect(changes).toHaveLength(1);
      expect(changes[0].data).toEqual({ channel: 'email', status: 'unsubscribed', source: 'api' });
    });

    it('refuses an unknown channel or status as 400, and an unknown lead as 404', async () => {
      const lead = await createLead({ email: email('consent-bad') });
      const channel = await stack.call('PUT', `/v1/leads/${lead.id}/consent/fax`, { key, body: { status: 'unsubscribed' } });
      expect(channel.status).toBe(400);
      expect(paths(channel.body)).toEqual(['channel']);
      const status = await stack.call('PUT', `/v1/leads/${lead.id}/consent/sms`, { key, body: { status: 'maybe' } });
      expect(paths(status.body)).toEqual(['status']);
      expect((await stack.call('PUT', `/v1/leads/${UNKNOWN}/consent/email`, { key, body: { status: 'subscribed' } })).status).toBe(404);
    });
  });

  describe('GET /v1/leads/:id/timeline', () => {
    it('lists touchpoints, messages, conversions and record events newest first, and pages with limit and nextBefore', async () => {
      const lead = await createLead({ email: email('timeline') });
      const { campaignId, messageId } = await addSentMessage(lead.id, hoursAgo(2.5));
      const open = await addTouchpoint(lead.id, 'open', hoursAgo(3));
      const click = await addTouchpoint(lead.id, 'click', hoursAgo(2), campaignId);
      const conversionAt = hoursAgo(1);
      const conversion = await stack.call('POST', '/v1/conversions', {
        key,
        body: { leadId: lead.id, value: '49.00', currency: 'USD', occurredAt: conversionAt.toISOString(), externalId: `order-${tag}-timeline` },
      });
      expect(conversion.status).toBe(201);

      const { items, nextBefore } = await timeline(lead.id);
      expect(nextBefore).toBeNull();
      expect(items.map((e) => [e.kind, e.type])).toEqual([
        ['event', 'created'],
        ['conversion', 'purchase'],
        ['touchpoint', 'click'],
        ['message', 'sent'],
        ['touchpoint', 'open'],
      ]);
      const times = items.map((e) => new Date(e.at).getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(items[1]).toMatchObject({
        id: conversion.body.id,
        campaignId,
        data: { valueMinor: '4900', currency: 'USD', externalId: `order-${tag}-timeline` },
      });
      expect(times[1]).toBe(conversionAt.getTime());
      expect(items[2]).toMatchObject({ id: click, campaignId, data: { channel: 'email', url: 'https://example.com/pricing' } });
      expect(items[3]).toMatchObject({ id: messageId, campaignId, data: { channel: 'email', subject: 'Welcome aboard', stepId: 'welcome' } });
      expect(items[4]).toMatchObject({ id: open, campaignId: null });

      const walked: string[] = [];
      let before: string | null = null;
      let pages = 0;
      do {
        const page = await timeline(lead.id, `?limit=2${before ? `&before=${encodeURIComponent(before)}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(2);
        walked.push(...page.items.map((e) => e.id));
        before = page.nextBefore;
        pages++;
      } while (before && pages < 10);
      expect(walked).toEqual(items.map((e) => e.id));
      expect(pages).toBe(3);
    });

    it('answers 404 for an unknown lead and 400 for a bad cursor', async () => {
      expect((await stack.call('GET', `/v1/leads/${UNKNOWN}/timeline`, { key })).status).toBe(404);
      const lead = await createLead({ email: email('timeline-bad') });
      const bad = await stack.call('GET', `/v1/leads/${lead.id}/timeline?before=last-week&limit=0`, { key });
      expect(bad.status).toBe(400);
      expect(paths(bad.body)).toEqual(['before', 'limit']);
    });
  });

  describe('DELETE /v1/leads/:id', () => {
    it('erases the lead with its touchpoints and conversions, and audits the erasure', async () => {
      const lead = await createLead({ email: email('erase'), consent: { email: 'subscribed' } });
      await addTouchpoint(lead.id, 'open', hoursAgo(1));
      await stack.call('POST', '/v1/conversions', { key, body: { leadId: lead.id, value: '1.00', currency: 'USD' } });

      const response = await stack.call('DELETE', `/v1/leads/${lead.id}`, { key });
      expect(response.status).toBe(204);
      expect((await stack.call('GET', `/v1/leads/${lead.id}`, { key })).status).toBe(404);
      expect((await stack.call('DELETE', `/v1/leads/${lead.id}`, { key })).status).toBe(404);
      expect(await count('touchpoints', lead.id)).toBe(0);
      expect(await count('conversions', lead.id)).toBe(0);
      expect(await count('lead_consents', lead.id)).toBe(0);
      expect(await count('lead_events', lead.id)).toBe(0);

      const audit = await stack.sql<{ actor_key_id: string }>(`select actor_key_id from audit_log where action = 'lead.erased' and entity_type = 'lead' and entity_id = ?`, [lead.id]);
      expect(audit).toEqual([{ actor_key_id: await keyId(key) }]);
    });
  });

  describe('duplicates and merging', () => {
    it('groups the same mailbox (Gmail dots and +tags) and the same name at the same company', async () => {
      const dotted = await createLead({ email: `ada.l.${tag}+news@gmail.com` });
      const plain = await createLead({ email: `adal${tag}@googlemail.com` });
      const grace = await createLead({ email: email('grace-1'), firstName: 'Grace', lastName: `Hopper${tag}`, company: 'Navy' });
      const again = await createLead({ email: email('grace-2'), firstName: 'grace', lastName: `HOPPER${tag}`, company: 'NAVY' });
      const unrelated = await createLead({ email: email('grace-3'), firstName: 'Grace', lastName: `Hopper${tag}`, company: 'Army' });

      const response = await stack.call('GET', '/v1/leads/duplicates', { key });
      expect(response.status).toBe(200);
      const groups: { reason: string; key: string; leads: { id: string }[] }[] = response.body;
      const sameEmail = groups.find((g) => g.reason === 'same_email' && g.leads.some((l) => l.id === dotted.id));
      expect(sameEmail?.leads.map((l) => l.id)).toEqual([dotted.id, plain.id]);
      const sameName = groups.find((g) => g.reason === 'same_name_and_company' && g.leads.some((l) => l.id === grace.id));
      expect(sameName?.leads.map((l) => l.id)).toEqual([grace.id, again.id]);
      expect(groups.some((g) => g.leads.some((l) => l.id === unrelated.id))).toBe(false);
    });

    it('merges duplicates into the kept lead: history moves, gaps are filled, consent turns most restrictive, the others go', async () => {
      const kept = await createLead({ email: email('keep'), firstName: 'Ann', attributes: { [tier]: 'pro' }, consent: { email: 'subscribed' } });
      const second = await createLead({
        email: email('dupe-b'),
        firstName: 'Bob',
        company: 'B Corp',
        jobTitle: 'CTO',
        attributes: { [tier]: 'free', [seats]: 3 },
        externalIds: { crm: `crm-${tag}-b` },
        consent: { email: 'unsubscribed' },
      });
      const third = await createLead({ email: email('dupe-c'), phone: '+1 555 0100' });
      await addTouchpoint(second.id, 'open', hoursAgo(5));
      await addTouchpoint(second.id, 'click', hoursAgo(4));
      await addTouchpoint(third.id, 'open', hoursAgo(3));
      await addSentMessage(second.id, hoursAgo(6));
      const conversion = await stack.call('POST', '/v1/conversions', { key, body: { leadId: second.id, value: '10.00', currency: 'USD' } });
      expect(conversion.status).toBe(201);

      const response = await stack.call('POST', `/v1/leads/${kept.id}/merge`, { key, body: { duplicateIds: [second.id, third.id] } });
      expect(response.status).toBe(200);
      expect(response.body.merged.sort()).toEqual([second.id, third.id].sort());
      expect(response.body.moved).toEqual({ touchpoints: 3, messages: 1, conversions: 1, enrollments: 1 });
      expect(response.body.lead).toMatchObject({
        id: kept.id,
        email: kept.email,
        firstName: 'Ann',
        company: 'B Corp',
        jobTitle: 'CTO',
        phone: '+1 555 0100',
        attributes: { [tier]: 'pro', [seats]: 3 },
        externalIds: { crm: `crm-${tag}-b` },
        consent: { email: { status: 'unsubscribed' } },
      });

      expect((await stack.call('GET', `/v1/leads/${second.id}`, { key })).status).toBe(404);
      expect((await stack.call('GET', `/v1/leads/${third.id}`, { key })).status).toBe(404);
      expect(await count('touchpoints', kept.id)).toBe(3);
      expect(await count('conversions', kept.id)).toBe(1);
      expect(await count('messages', kept.id)).toBe(1);

      const merged = (await timeline(kept.id)).items.find((e) => e.kind === 'event' && e.type === 'merged');
      expect(merged?.data.merged).toEqual(expect.arrayContaining([{ id: second.id, email: second.email }, { id: third.id, email: third.email }]));

      const audit = await stack.sql<{ actor_key_id: string; data: { merged: string[] } }>(
        `select actor_key_id, data from audit_log where action = 'lead.merged' and entity_id = ?`,
        [kept.id],
      );
      expect(audit).toHaveLength(1);
      expect(audit[0].actor_key_id).toBe(await keyId(key));
      expect(audit[0].data.merged.sort()).toEqual([second.id, third.id].sort());
    });

    it('refuses to merge a lead into itself, or a duplicate that does not exist, as 400', async () => {
      const kept = await createLead({ email: email('self') });
      const other = await createLead({ email: email('self-other') });
      const self = await stack.call('POST', `/v1/leads/${kept.id}/merge`, { key, body: { duplicateIds: [kept.id] } });
      expect(self.status).toBe(400);
      expect(paths(self.body)).toEqual(['duplicateIds']);

      const missing = await stack.call('POST', `/v1/leads/${kept.id}/merge`, { key, body: { duplicateIds: [other.id, UNKNOWN] } });
      expect(missing.status).toBe(400);
      expect(paths(missing.body)).toEqual(['duplicateIds[1]']);
      expect((await stack.call('GET', `/v1/leads/${other.id}`, { key })).status).toBe(200);

      expect((await stack.call('POST', `/v1/leads/${UNKNOWN}/merge`, { key, body: { duplicateIds: [other.id] } })).status).toBe(404);
      const notIds = await stack.call('POST', `/v1/leads/${kept.id}/merge`, { key, body: { duplicateIds: ['b'] } });
      expect(paths(notIds.body)).toEqual(['duplicateIds']);
    });
  });

  describe('roles', () => {
    it('lets a sales key read leads and timelines but not create, change, erase or merge them', async () => {
      const lead = await createLead({ email: email('roles') });
      const other = await createLead({ email: email('roles-other') });
      expect((await stack.call('GET', '/v1/leads?limit=1', { key: salesKey })).status).toBe(200);
      expect((await stack.call('GET', `/v1/leads/${lead.id}`, { key: salesKey })).status).toBe(200);
      expect((await stack.call('GET', `/v1/leads/${lead.id}/timeline`, { key: salesKey })).status).toBe(200);

      const refused = [
        await stack.call('POST', '/v1/leads', { key: salesKey, body: { email: email('by-sales') } }),
        await stack.call('PUT', '/v1/leads', { key: salesKey, body: { email: email('by-sales') } }),
        await stack.call('POST', '/v1/leads/batch', { key: salesKey, body: { leads: [{ email: email('by-sales') }] } }),
        await stack.call('PATCH', `/v1/leads/${lead.id}`, { key: salesKey, body: { firstName: 'Sold' } }),
        await stack.call('DELETE', `/v1/leads/${lead.id}`, { key: salesKey }),
        await stack.call('POST', `/v1/leads/${lead.id}/merge`, { key: salesKey, body: { duplicateIds: [other.id] } }),
      ];
      expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
      expect(refused[0].body.code).toBe('FORBIDDEN');
      expect((await stack.call('GET', `/v1/leads/${other.id}`, { key })).status).toBe(200);
      expect((await stack.call('GET', '/v1/leads', {})).status).toBe(401);
    });
  });

  describe('edges found in review', () => {
    it('pages through entries that share a timestamp without losing any, with ISO times', async () => {
      // Created with consent: `created` and `consent_changed` are written in one statement, at one time.
      const lead = await createLead({ email: email('same-time'), consent: { email: 'subscribed' } });
      const seen: string[] = [];
      let before: string | null = null;
      do {
        const page = await timeline(lead.id, `?limit=1${before ? `&before=${encodeURIComponent(before)}` : ''}`);
        for (const item of page.items) {
          expect(item.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
          seen.push(item.type);
        }
        before = page.nextBefore;
      } while (before);
      expect(seen.sort()).toEqual(['consent_changed', 'created']);
    });

    it('names the position of an unknown duplicate as sent, and accepts an upper-case kept id', async () => {
      const kept = await createLead({ email: email('merge-upper') });
      const dup = await createLead({ email: email('merge-upper-dup') });
      const bad = await stack.call('POST', `/v1/leads/${kept.id}/merge`, { key, body: { duplicateIds: [dup.id, dup.id, UNKNOWN] } });
      expect(paths(bad.body)).toEqual(['duplicateIds[2]']);
      const merged = await stack.call('POST', `/v1/leads/${kept.id.toUpperCase()}/merge`, { key, body: { duplicateIds: [dup.id] } });
      expect(merged.status).toBe(200);
      expect(merged.body.lead.id).toBe(kept.id);
    });

    it('lists two leads claiming the same id in one system as likely duplicates, and not ids of different systems', async () => {
      const holder = await createLead({ email: email('ext-holder'), externalIds: { crm: `shared-${tag}` } });
      const claimer = await stack.call('PUT', '/v1/leads', { key, body: { email: email('ext-claimer'), externalIds: { crm: `shared-${tag}` } } });
      await createLead({ email: email('ext-other-system'), externalIds: { shop: `shared-${tag}` } });
      const groups = (await stack.call('GET', '/v1/leads/duplicates', { key })).body as { reason: string; key: string; leads: { id: string }[] }[];
      const group = groups.find((g) => g.reason === 'same_external_id' && g.key === `crm:shared-${tag}`);
      expect(group?.leads.map((l) => l.id).sort()).toEqual([holder.id, claimer.body.lead.id].sort());
      expect(groups.some((g) => g.reason === 'same_external_id' && g.key.endsWith(`shared-${tag}`) && g.key !== `crm:shared-${tag}`)).toBe(false);
    });

    it('reports a bad channel and a bad status of a consent change together', async () => {
      const lead = await createLead({ email: email('consent-both') });
      const response = await stack.call('PUT', `/v1/leads/${lead.id}/consent/fax`, { key, body: { status: 'maybe' } });
      expect(response.status).toBe(400);
      expect(paths(response.body)).toEqual(['channel', 'status']);
    });
  });
});
