import { randomUUID } from 'node:crypto';
import { eventually, startStack, TestStack } from '../support/stack';

/**
 * Deals reported by sales, over HTTP on real PostgreSQL and a real Temporal worker: an opened
 * opportunity and a won deal move the lead through the lifecycle, the won deal is a conversion
 * attributed like any other, and the W-shaped model credits the touch before the opportunity.
 *
 * The lead's story (March 2005, a month no other test uses): created 03-06; touches paid_search
 * 03-01, paid_social 03-05, email 03-10, webinar 03-15; opportunity opened 03-12; deal won 03-20
 * for 1000.00 EUR. W-shaped: first touch (paid_search), lead-creation touch (paid_social, the last
 * before 03-06) and opportunity touch (email, the last before 03-12) get 30 % each, the webinar 10 %.
 * The other deals won here are dated in that month too, so that none of their conversions lands
 * in the days that other files (or a dashboard on the test database) report on.
 */
describe('deals reported by sales', () => {
  let stack: TestStack;
  let marketer: string;
  let sales: string;
  let repId: string;
  let analyst: string;
  const tag = randomUUID().slice(0, 8);

  /** A lead owned by the rep whose key `sales` is. */
  const newLead = async () => {
    const made = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: `deal-${tag}-${randomUUID().slice(0, 6)}@example.com` } });
    expect(made.status).toBe(201);
    await stack.sql('update leads set owner_id = ? where id = ?', [repId, made.body.id]);
    return made.body.id as string;
  };
  const post = (leadId: string, what: 'opportunity' | 'won' | 'lost', body: unknown, key = sales) =>
    stack.call('POST', `/v1/sales/leads/${leadId}/${what}`, { key, body });
  const stageEvents = async (leadId: string) =>
    stack.sql<{ at: string; data: Record<string, unknown> }>(
      `select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD') as at, data from lead_events where lead_id = ? and type = 'stage_changed' order by occurred_at`,
      [leadId],
    );

  beforeAll(async () => {
    stack = await startStack();
    marketer = await stack.key('marketer');
    ({ repId, key: sales } = await stack.salesRep(`Deals ${tag}`));
    analyst = await stack.key('analyst');
  });

  afterAll(async () => {
    if (!stack) return;
    await stack.sql('delete from leads where email like ?', [`deal-${tag}-%`]);
    await stack.sql('delete from sales_reps where id = ?', [repId]);
    await stack.stop();
  });

  it('moves the lead to opportunity, then to customer with a conversion, and credits the opportunity touch', async () => {
    const leadId = await newLead();
    await stack.sql(`update leads set created_at = '2005-03-06T12:00:00Z' where id = ?`, [leadId]);
    const touch = (name: string, channel: string, day: string) => ({ externalId: `${tag}-${name}`, type: 'visit', occurredAt: `2005-03-${day}T09:00:00Z`, leadId, channel });
    const ingested = await stack.call('POST', '/v1/touchpoints', {
      key: marketer,
      body: { touchpoints: [touch('search', 'paid_search', '01'), touch('social', 'paid_social', '05'), touch('mail', 'email', '10'), touch('webinar', 'webinar', '15')] },
    });
    expect(ingested.status).toBe(200);

    const opened = await post(leadId, 'opportunity', { dealId: `${tag}-deal`, occurredAt: '2005-03-12T10:00:00Z' });
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({ leadId, lifecycleStage: 'opportunity', stageChanged: true });

    const won = await post(leadId, 'won', { dealId: `${tag}-deal`, amount: '1000.00', currency: 'EUR', occurredAt: '2005-03-20T16:00:00Z' });
    expect(won.status).toBe(201);
    expect(won.body).toMatchObject({ leadId, lifecycleStage: 'customer', stageChanged: true });
    expect(won.body.conversion).toMatchObject({ leadId, type: 'deal_won', value: '1000.00', currency: 'EUR', externalId: `deal:${tag}-deal` });
    expect(new Date(won.body.conversion.occurredAt).toISOString()).toBe('2005-03-20T16:00:00.000Z');

    // Each move is recorded with its time and cause, for the timeline and the funnel.
    expect(await stageEvents(leadId)).toEqual([
      { at: '2005-03-12', data: { from: 'subscriber', to: 'opportunity', source: 'sales', cause: 'opportunity_opened', dealId: `${tag}-deal` } },
      { at: '2005-03-20', data: { from: 'opportunity', to: 'customer', source: 'sales', cause: 'deal_won', dealId: `${tag}-deal`, conversionId: won.body.conversion.id } },
    ]);
    const lead = await stack.call('GET', `/v1/leads/${leadId}`, { key: analyst });
    expect(lead.body.lifecycleStage).toBe('customer');

    // The won deal is attributed by the worker like any conversion.
    const credits = await eventually(async () => {
      const rows = await stack.sql<{ channel: string; credit: number; revenue_minor: string }>(
        `select channel, credit, revenue_minor::text from attribution_credits where conversion_id = ? and model = 'w_shaped' order by channel`,
        [won.body.conversion.id],
      );
      return rows.length === 4 ? rows : undefined;
    }, 60_000, 'the won deal attributed');
    expect(credits.map((c) => [c.channel, Number(c.credit.toFixed(6)), c.revenue_minor])).toEqual([
      ['email', 0.3, '30000'],
      ['paid_search', 0.3, '30000'],
      ['paid_social', 0.3, '30000'],
      ['webinar', 0.1, '10000'],
    ]);
  });

  it('records a deal once however often it is sent, and never moves a lead backwards', async () => {
    const leadId = await newLead();
    const deal = { dealId: `${tag}-again`, amount: '250.50', currency: 'USD', occurredAt: '2005-03-25T12:00:00Z' };
    const first = await post(leadId, 'won', deal);
    expect(first.status).toBe(201);
    const second = await post(leadId, 'won', deal);
    expect(second.status).toBe(201);
    expect(second.body).toEqual({ leadId, lifecycleStage: 'customer', stageChanged: false, conversion: first.body.conversion });
    const count = await stack.sql<{ n: string }>(`select count(*)::text as n from conversions where external_id = ?`, [`deal:${tag}-again`]);
    expect(count[0].n).toBe('1');

    // A customer opening another opportunity stays a customer.
    const later = await post(leadId, 'opportunity', { dealId: `${tag}-upsell` });
    expect(later.body).toEqual({ leadId, lifecycleStage: 'customer', stageChanged: false });
    expect((await stageEvents(leadId)).map((e) => e.data.to)).toEqual(['customer']);
  });

  it('refuses a deal already won for another lead, naming dealId', async () => {
    const [one, other] = [await newLead(), await newLead()];
    expect((await post(one, 'won', { dealId: `${tag}-shared`, amount: '10.00', currency: 'EUR', occurredAt: '2005-03-26T12:00:00Z' })).status).toBe(201);
    const clash = await post(other, 'won', { dealId: `${tag}-shared`, amount: '10.00', currency: 'EUR' });
    expect(clash.status).toBe(409);
    expect(clash.body.errors).toEqual([{ path: 'dealId', message: 'was already won for another lead' }]);
    const lead = await stack.call('GET', `/v1/leads/${other}`, { key: analyst });
    expect(lead.body.lifecycleStage).toBe('subscriber');
  });

  it('answers bad input with problems naming the fields, and unknown leads with 404', async () => {
    const leadId = await newLead();
    const bad = await post(leadId, 'won', { dealId: '', amount: 'twelve', currency: 'euro', occurredAt: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect([...new Set(bad.body.errors.map((e: { path: string }) => e.path))].sort()).toEqual(['amount', 'currency', 'dealId', 'occurredAt']);

    const tooPrecise = await post(leadId, 'won', { dealId: `${tag}-yen`, amount: '12.5', currency: 'JPY' });
    expect(tooPrecise.status).toBe(400);
    expect(tooPrecise.body.errors).toEqual([{ path: 'amount', message: 'has more decimals than JPY allows' }]);

    const missing = await post(randomUUID(), 'opportunity', { dealId: 'x' });
    expect(missing.status).toBe(404);
    const notId = await post('not-a-uuid', 'opportunity', { dealId: 'x' });
    expect(notId.status).toBe(400);
    expect(notId.body.errors[0].path).toBe('id');
  });

  it('lets only sales (and admin) keys report deals', async () => {
    const leadId = await newLead();
    for (const key of [marketer, analyst]) {
      expect((await post(leadId, 'opportunity', { dealId: `${tag}-role` }, key)).status).toBe(403);
      expect((await post(leadId, 'won', { dealId: `${tag}-role`, amount: '1.00', currency: 'EUR' }, key)).status).toBe(403);
    }
    expect((await stack.call('POST', `/v1/sales/leads/${leadId}/won`, { body: {} })).status).toBe(401);
  });

  it("keeps a rep's key to the rep's own leads, and a sales key of no rep to none", async () => {
    const leadId = await newLead();
    const other = await stack.salesRep(`Other ${tag}`);
    const notYours = await post(leadId, 'opportunity', { dealId: `${tag}-other` }, other.key);
    expect(notYours.status).toBe(403);
    expect(notYours.body.detail).toMatch(/not in your queue/);
    const nobody = await post(leadId, 'won', { dealId: `${tag}-nobody`, amount: '1.00', currency: 'EUR' }, await stack.key('sales'));
    expect(nobody.status).toBe(403);
    expect(nobody.body.detail).toMatch(/belongs to no sales rep/);
    await stack.sql('delete from sales_reps where id = ?', [other.repId]);
  });

  it('records a lost deal and sends an opportunity back to nurture without an owner, or disqualifies it', async () => {
    const [recycled, dropped, fresh] = [await newLead(), await newLead(), await newLead()];
    for (const id of [recycled, dropped]) expect((await post(id, 'opportunity', { dealId: `${tag}-${id}` })).status).toBe(200);

    const lost = await post(recycled, 'lost', { dealId: `${tag}-${recycled}`, reason: 'Went with a competitor' });
    expect(lost.status).toBe(200);
    expect(lost.body).toEqual({ leadId: recycled, lifecycleStage: 'lead', stageChanged: true });
    const [lead] = await stack.sql<{ owner_id: string | null }>('select owner_id from leads where id = ?', [recycled]);
    expect(lead.owner_id).toBeNull();
    const [event] = await stack.sql<{ data: Record<string, unknown> }>(`select data from lead_events where lead_id = ? and type = 'deal_lost'`, [recycled]);
    expect(event.data).toEqual({ dealId: `${tag}-${recycled}`, reason: 'Went with a competitor', disposition: 'recycle', source: 'sales' });

    const disqualified = await post(dropped, 'lost', { dealId: `${tag}-${dropped}`, reason: 'No budget', disposition: 'disqualify' });
    expect(disqualified.body).toEqual({ leadId: dropped, lifecycleStage: 'disqualified', stageChanged: true });
    // A lead not with sales yet keeps its stage; the loss is still recorded.
    expect((await post(fresh, 'lost', { dealId: `${tag}-${fresh}`, reason: 'Never started' })).body).toEqual({ leadId: fresh, lifecycleStage: 'subscriber', stageChanged: false });

    const bad = await post(fresh, 'lost', { dealId: '', reason: '', disposition: 'forget' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['dealId', 'disposition', 'reason']);
  });
});
