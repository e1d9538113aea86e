import { eventually, startStack, TestStack } from '../support/stack';

/**
 * The funnel and cohort reports over HTTP on real PostgreSQL and a real Temporal worker, checked
 * against numbers worked out by hand.
 *
 * Leads, their stage changes, the campaign and its enrollments, conversions and rates are made
 * through the API. Only sales' moves (an opportunity opened, a deal won) take their time from the
 * client; a stage set with `PATCH /v1/leads/{id}`, a lead's creation and an enrollment happen
 * "now", so the test moves them into 2001 with SQL right after each is made: `leads.created_at`,
 * each new `stage_changed` event's `occurred_at`, and `enrollments.created_at`. Conversions take
 * their time through the API. 2001 is a year no other test uses, and the rates are SEK, which no
 * other test writes.
 *
 * Funnel: every lead is created on 2001-03-05 00:00 UTC; stage changes come d days later:
 *   A subscriber → lead 2.5 → mql 5 → sql 9 → opportunity 10 → customer 20⅓ (the last two by sales)
 *   B subscriber → lead 4 → mql 6
 *   C created as lead → sql 3 → disqualified 5            (skips subscriber and mql)
 *   D subscriber → mql 1 → lead 2 (back) → mql 8 → sql 13  (skips lead, then goes back)
 *   E subscriber, never changes
 *   F created as disqualified, never changes
 *   G subscriber → lead 1                                  (not in the campaign)
 * A–F are enrolled in the campaign on 2001-03-10.
 *
 * Cohorts (P, Q, R, T in the campaign, enrolled 2000-06-01; S not):
 *   P 100.00 EUR 01-10, 500.00 SEK 02-15, 20.00 EUR 04-02
 *   Q 300.00 SEK 01-20, 100.10 SEK 03-05
 *   R 200.00 EUR 02-03, 33.33 EUR 02-20
 *   S 70.00 EUR 01-05
 *   T 5.00 EUR 2000-12-20 (first conversion before the range), 40.00 EUR 01-15
 * SEK rates in EUR: 0.09 from 2001-01-01, 0.08 from 2001-03-01.
 */
describe('funnel and cohort reports', () => {
  let stack: TestStack;
  let marketer: string;
  let analyst: string;
  let sales: string;
  let admin: string;
  const tag = `lcr${Date.now().toString(36)}`;
  let campaignId: string;
  let flowId: string;
  const ids: Record<string, string> = {};
  const T0 = Date.parse('2001-03-05T00:00:00Z');
  const at = (days: number) => new Date(T0 + days * 86_400_000).toISOString();

  const get = (path: string, params: Record<string, string>, key = analyst) => stack.call('GET', `${path}?${new URLSearchParams(params)}`, { key });
  const funnel = (params: Record<string, string>, key = analyst) => get('/v1/reports/funnel', { from: '2001-03-01', to: '2001-03-31', ...params }, key);
  const cohorts = (params: Record<string, string>, key = analyst) => get('/v1/reports/cohorts', { from: '2001-01-01', to: '2001-02-28', ...params }, key);
  const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

  /**
   * A lead made through the API, created at T0, whose stage changes happen at T0 + days: sales'
   * moves with their time, the others through PATCH and then moved.
   */
  async function journey(name: string, initial: string, moves: [string, number][] = []): Promise<void> {
    const made = await stack.call('POST', '/v1/leads', {
      key: marketer,
      body: { email: `${tag}-${name}@example.com`, lifecycleStage: initial, consent: { email: 'subscribed' } },
    });
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    ids[name] = id;
    await stack.sql('update leads set created_at = ? where id = ?', [at(0), id]);
    for (const [stage, days] of moves) {
      if (stage === 'opportunity' || stage === 'customer') {
        const deal = { dealId: `${tag}-${name}`, occurredAt: at(days) };
        const body = stage === 'opportunity' ? deal : { ...deal, amount: '1000.00', currency: 'EUR' };
        const moved = await stack.call('POST', `/v1/sales/leads/${id}/${stage === 'opportunity' ? 'opportunity' : 'won'}`, { key: admin, body });
        expect(moved.status).toBeLessThan(300);
        expect(moved.body).toMatchObject({ lifecycleStage: stage, stageChanged: true });
        continue;
      }
      const changed = await stack.call('PATCH', `/v1/leads/${id}`, { key: marketer, body: { lifecycleStage: stage } });
      expect(changed.status).toBe(200);
      // The change just made is the only one not yet moved back to 2001.
      const moved = await stack.sql(
        `update lead_events set occurred_at = ? where lead_id = ? and type = 'stage_changed' and occurred_at > '2002-01-01' returning data`,
        [at(days), id],
      );
      expect(moved).toEqual([{ data: expect.objectContaining({ to: stage }) }]);
    }
  }

  async function customer(name: string): Promise<void> {
    const made = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: `${tag}-${name}@example.com`, consent: { email: 'subscribed' } } });
    expect(made.status).toBe(201);
    ids[name] = made.body.id;
  }

  async function convert(name: string, n: number, value: string, currency: string, occurredAt: string): Promise<void> {
    const made = await stack.call('POST', '/v1/conversions', {
      key: marketer,
      body: { leadId: ids[name], value, currency, occurredAt, externalId: `${tag}-${name}-${n}` },
    });
    expect(made.status).toBe(201);
  }

  beforeAll(async () => {
    stack = await startStack();
    marketer = await stack.key('marketer');
    analyst = await stack.key('analyst');
    // Deals are reported with an admin key: the leads belong to no rep.
    admin = await stack.key('admin');
    sales = await stack.key('sales');
    // Only this file writes SEK rates; a database kept from an earlier run starts clean.
    await stack.sql(`delete from currency_rates where currency = 'SEK' and day <= '2001-12-31'`);

    await journey('A', 'subscriber', [['lead', 2.5], ['mql', 5], ['sql', 9], ['opportunity', 10], ['customer', 20 + 1 / 3]]);
    await journey('B', 'subscriber', [['lead', 4], ['mql', 6]]);
    await journey('C', 'lead', [['sql', 3], ['disqualified', 5]]);
    await journey('D', 'subscriber', [['mql', 1], ['lead', 2], ['mql', 8], ['sql', 13]]);
    await journey('E', 'subscriber');
    await journey('F', 'disqualified');
    await journey('G', 'subscriber', [['lead', 1]]);
    for (const name of ['P', 'Q', 'R', 'S', 'T']) await customer(name);

    const flow = await stack.call('POST', '/v1/flows', { key: marketer, body: { name: `f ${tag}`, definition: { entry: 'done', steps: { done: { type: 'exit' } } } } });
    expect(flow.status).toBe(201);
    flowId = flow.body.id;
    const enrolled = ['A', 'B', 'C', 'D', 'E', 'F', 'P', 'Q', 'R', 'T'];
    const campaign = await stack.call('POST', '/v1/campaigns', {
      key: marketer,
      body: { name: `Lifecycle ${tag}`, flowId, channel: 'email', audience: { leadIds: enrolled.map((n) => ids[n]) }, currency: 'EUR' },
    });
    expect(campaign.status).toBe(201);
    campaignId = campaign.body.id;
    expect((await stack.call('POST', `/v1/campaigns/${campaignId}/launch`, { key: marketer })).status).toBe(202);
    await eventually(
      async () => {
        const rows = await stack.sql<{ n: string }>('select count(*) as n from enrollments where campaign_id = ?', [campaignId]);
        return Number(rows[0].n) === enrolled.length ? true : undefined;
      },
      60_000,
      'the enrollments',
    );
    await stack.sql(`update enrollments set created_at = '2001-03-10T12:00:00Z' where campaign_id = ? and lead_id = any(?::uuid[])`, [
      campaignId,
      `{${['A', 'B', 'C', 'D', 'E', 'F'].map((n) => ids[n]).join(',')}}`,
    ]);
    await stack.sql(`update enrollments set created_at = '2000-06-01T12:00:00Z' where campaign_id = ? and lead_id = any(?::uuid[])`, [
      campaignId,
      `{${['P', 'Q', 'R', 'T'].map((n) => ids[n]).join(',')}}`,
    ]);

    await convert('P', 1, '100.00', 'EUR', '2001-01-10T09:00:00Z');
    await convert('P', 2, '500.00', 'SEK', '2001-02-15T09:00:00Z');
    await convert('P', 3, '20.00', 'EUR', '2001-04-02T09:00:00Z');
    await convert('Q', 1, '300.00', 'SEK', '2001-01-20T09:00:00Z');
    await convert('Q', 2, '100.10', 'SEK', '2001-03-05T09:00:00Z');
    await convert('R', 1, '200.00', 'EUR', '2001-02-03T09:00:00Z');
    await convert('R', 2, '33.33', 'EUR', '2001-02-20T09:00:00Z');
    await convert('S', 1, '70.00', 'EUR', '2001-01-05T09:00:00Z');
    await convert('T', 1, '5.00', 'EUR', '2000-12-20T09:00:00Z');
    await convert('T', 2, '40.00', 'EUR', '2001-01-15T09:00:00Z');
  });

  afterAll(async () => {
    if (!stack) return;
    await stack.sql('delete from conversions where external_id like ?', [`${tag}%`]);
    await stack.sql('delete from leads where email like ?', [`${tag}%`]);
    if (campaignId) await stack.sql('delete from campaigns where id = ?', [campaignId]);
    if (flowId) await stack.sql('delete from flows where id = ?', [flowId]);
    await stack.sql(`delete from currency_rates where currency = 'SEK' and day <= '2001-12-31'`);
    await stack.stop();
  });

  describe('funnel', () => {
    // From mql on, the same with or without the campaign: G, the one lead outside it, got no further than lead.
    const mqlOnwards = [
      // C skipped it but passed it; A 4 and D's second visit 5 (its first ended backwards); B is still in it.
      { stage: 'mql', reached: 4, stillIn: 1, toNextRate: 0.75, medianDaysInStage: 4.5 },
      // A 1; C left it for disqualified, D is still in it.
      { stage: 'sql', reached: 3, stillIn: 1, toNextRate: 0.3333, medianDaysInStage: 1 },
      // A: 10⅓ days.
      { stage: 'opportunity', reached: 1, stillIn: 0, toNextRate: 1, medianDaysInStage: 10.33 },
      { stage: 'customer', reached: 1, stillIn: 1, toNextRate: null, medianDaysInStage: null },
    ];

    it('follows the campaign\'s leads through the stages, as worked out by hand', async () => {
      const response = await funnel({ campaignId });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        from: '2001-03-01',
        to: '2001-03-31',
        campaignId,
        // A–F; C and F are disqualified now.
        leads: 6,
        disqualified: 2,
        stages: [
          // Reached by A–E (C skipped it): left forwards by A after 2.5, B after 4, D after 1 → 2.5.
          { stage: 'subscriber', reached: 5, stillIn: 1, toNextRate: 0.8, medianDaysInStage: 2.5 },
          // A, B, C, D (D only on its way back): A 2.5, B 2, C 3, D 6 → 2.75.
          { stage: 'lead', reached: 4, stillIn: 0, toNextRate: 1, medianDaysInStage: 2.75 },
          ...mqlOnwards,
        ],
      });
    });

    it('takes the leads created in the range without a campaign', async () => {
      const response = await funnel({});
      expect(response.status).toBe(200);
      // G joins: a subscriber for 1 day, now a lead.
      expect(response.body).toMatchObject({ campaignId: null, leads: 7, disqualified: 2 });
      expect(response.body.stages).toEqual([
        { stage: 'subscriber', reached: 6, stillIn: 1, toNextRate: 0.8333, medianDaysInStage: 1.75 },
        { stage: 'lead', reached: 5, stillIn: 1, toNextRate: 0.8, medianDaysInStage: 2.75 },
        ...mqlOnwards,
      ]);
    });

    it('counts nobody when the campaign\'s enrollments fall outside the range', async () => {
      const response = await funnel({ campaignId, from: '2001-04-01', to: '2001-04-30' });
      expect(response.status).toBe(200);
      expect(response.body.leads).toBe(0);
      expect(response.body.stages.map((s: object) => Object.values(s).slice(1))).toEqual(Array(6).fill([0, 0, null, null]));
    });

    it('gives one CSV line per stage, then the disqualified', async () => {
      const csv = await funnel({ campaignId, format: 'csv' });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csv.headers.get('content-disposition')).toContain('attachment');
      expect(csv.body).toBe(
        [
          'stage,reached,stillIn,toNextRate,medianDaysInStage',
          'subscriber,5,1,0.8,2.5',
          'lead,4,0,1,2.75',
          'mql,4,1,0.75,4.5',
          'sql,3,1,0.3333,1',
          'opportunity,1,0,1,10.33',
          'customer,1,1,,',
          'disqualified,,2,,',
        ].map((line) => line + '\r\n').join(''),
      );
    });
  });

  describe('cohorts', () => {
    it('refuses with 422 naming currency while a SEK amount has no rate', async () => {
      const response = await cohorts({ campaignId, periods: '4' });
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ code: 'RATES_MISSING', status: 422 });
      expect(response.body.errors).toEqual([{ path: 'currency', message: 'no SEK rate in EUR on or before 2001-01-20, 2001-02-15, 2001-03-05 (3 days)' }]);
    });

    it('gives the campaign\'s customers by month of first conversion, with retention and LTV worked out by hand', async () => {
      const rates = [
        { currency: 'SEK', day: '2001-01-01', rate: '0.09' },
        { currency: 'SEK', day: '2001-03-01', rate: '0.08' },
      ];
      expect((await stack.call('PUT', '/v1/currency-rates', { key: analyst, body: { rates } })).status).toBe(200);

      const response = await cohorts({ campaignId, periods: '4', interval: 'month', currency: 'EUR' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        from: '2001-01-01',
        to: '2001-02-28',
        interval: 'month',
        currency: 'EUR',
        periods: 4,
        // T's first conversion is before the range, S is not in the campaign.
        cohorts: [
          {
            cohort: '2001-01-01',
            customers: 2,
            periods: [
              // P 10000 + Q 30000 × 0.09 = 2700 cents.
              { offset: 0, activeCustomers: 2, retention: 1, revenue: '127.00', cumulativeRevenue: '127.00', ltv: '63.50' },
              // P 50000 × 0.09 = 4500.
              { offset: 1, activeCustomers: 1, retention: 0.5, revenue: '45.00', cumulativeRevenue: '172.00', ltv: '86.00' },
              // Q 10010 × 0.08 = 800.8: each figure is rounded from the exact sum (18000.8; 9000.4 per customer).
              { offset: 2, activeCustomers: 1, retention: 0.5, revenue: '8.01', cumulativeRevenue: '180.01', ltv: '90.00' },
              { offset: 3, activeCustomers: 1, retention: 0.5, revenue: '20.00', cumulativeRevenue: '200.01', ltv: '100.00' },
            ],
          },
          {
            cohort: '2001-02-01',
            customers: 1,
            periods: [
              { offset: 0, activeCustomers: 1, retention: 1, revenue: '233.33', cumulativeRevenue: '233.33', ltv: '233.33' },
              { offset: 1, activeCustomers: 0, retention: 0, revenue: '0.00', cumulativeRevenue: '233.33', ltv: '233.33' },
              { offset: 2, activeCustomers: 0, retention: 0, revenue: '0.00', cumulativeRevenue: '233.33', ltv: '233.33' },
              { offset: 3, activeCustomers: 0, retention: 0, revenue: '0.00', cumulativeRevenue: '233.33', ltv: '233.33' },
            ],
          },
        ],
      });
    });

    it('counts every customer without a campaign, and follows 12 periods by default', async () => {
      const response = await cohorts({});
      expect(response.status).toBe(200);
      expect(response.body.periods).toBe(12);
      const [january, february] = response.body.cohorts;
      expect(response.body.cohorts).toHaveLength(2);
      // S joins January: 19700 cents over 3 customers.
      expect(january).toMatchObject({ cohort: '2001-01-01', customers: 3 });
      expect(january.periods).toHaveLength(12);
      expect(january.periods[0]).toEqual({ offset: 0, activeCustomers: 3, retention: 1, revenue: '197.00', cumulativeRevenue: '197.00', ltv: '65.67' });
      expect(january.periods[1]).toMatchObject({ activeCustomers: 1, retention: 0.3333, revenue: '45.00', cumulativeRevenue: '242.00', ltv: '80.67' });
      expect(january.periods[11]).toMatchObject({ offset: 11, activeCustomers: 0, cumulativeRevenue: '270.01' });
      expect(february).toMatchObject({ cohort: '2001-02-01', customers: 1 });
    });

    it('groups by weeks starting on Monday', async () => {
      const response = await cohorts({ campaignId, interval: 'week', from: '2001-01-01', to: '2001-01-31', periods: '2' });
      expect(response.status).toBe(200);
      // P's first conversion is on Wednesday 2001-01-10, Q's on Saturday 2001-01-20.
      expect(response.body.cohorts).toEqual([
        {
          cohort: '2001-01-08',
          customers: 1,
          periods: [
            { offset: 0, activeCustomers: 1, retention: 1, revenue: '100.00', cumulativeRevenue: '100.00', ltv: '100.00' },
            { offset: 1, activeCustomers: 0, retention: 0, revenue: '0.00', cumulativeRevenue: '100.00', ltv: '100.00' },
          ],
        },
        {
          cohort: '2001-01-15',
          customers: 1,
          periods: [
            { offset: 0, activeCustomers: 1, retention: 1, revenue: '27.00', cumulativeRevenue: '27.00', ltv: '27.00' },
            { offset: 1, activeCustomers: 0, retention: 0, revenue: '0.00', cumulativeRevenue: '27.00', ltv: '27.00' },
          ],
        },
      ]);
    });

    it('reports in another currency through cross rates, and as CSV with the same figures', async () => {
      // In SEK, the euro amounts need SEK's own rate: 10000 / 0.09 = 111111.1… öre.
      const inKronor = await cohorts({ campaignId, periods: '1', currency: 'SEK' });
      expect(inKronor.status).toBe(200);
      expect(inKronor.body.cohorts[0].periods).toEqual([
        { offset: 0, activeCustomers: 2, retention: 1, revenue: '1411.11', cumulativeRevenue: '1411.11', ltv: '705.56' },
      ]);

      const json = await cohorts({ campaignId, periods: '4' });
      const csv = await cohorts({ campaignId, periods: '4', format: 'csv' });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = json.body.cohorts.flatMap((c: { cohort: string; customers: number; periods: Record<string, unknown>[] }) =>
        c.periods.map((p) => [c.cohort, c.customers, p.offset, p.activeCustomers, p.retention, p.revenue, p.cumulativeRevenue, p.ltv, 'EUR'].join(',')),
      );
      expect(csv.body).toBe(['cohort,customers,offset,activeCustomers,retention,revenue,cumulativeRevenue,ltv,currency', ...lines].map((l) => l + '\r\n').join(''));
      expect(lines).toHaveLength(8);
    });
  });

  describe('both', () => {
    it('name every bad parameter at once in a 400, and refuse unknown parameters', async () => {
      const badFunnel = await funnel({ from: '2001-02-30', to: '2000-01-01', campaignId: 'nope', format: 'xml' });
      expect(badFunnel.status).toBe(400);
      expect(badFunnel.headers.get('content-type')).toContain('application/problem+json');
      expect(badFunnel.body.code).toBe('INPUT_INVALID');
      expect(paths(badFunnel.body)).toEqual(['from', 'campaignId', 'format']);
      expect(paths((await funnel({ from: '2001-04-01' })).body)).toEqual(['to']);
      expect(paths((await stack.call('GET', '/v1/reports/funnel', { key: analyst })).body)).toEqual(['from', 'to']);
      expect(paths((await funnel({ interval: 'week' })).body)).toEqual(['interval']);

      const badCohorts = await cohorts({ interval: 'day', currency: 'sek', periods: '37', campaignId: '1', format: 'pdf', from: '1998-01-01' });
      expect(badCohorts.status).toBe(400);
      expect(paths(badCohorts.body)).toEqual(['to', 'interval', 'currency', 'campaignId', 'periods', 'format']);
      expect(paths((await cohorts({ periods: '0' })).body)).toEqual(['periods']);
      expect(paths((await cohorts({ model: 'linear' })).body)).toEqual(['model']);
    });

    it('answer the first and last days there are without a 5xx', async () => {
      for (const response of [
        await funnel({ from: '0001-01-01', to: '0001-12-31' }),
        await funnel({ from: '9997-01-01', to: '9999-12-31', campaignId }),
        await cohorts({ from: '0001-01-01', to: '0003-12-31', interval: 'week', periods: '36' }),
        await cohorts({ from: '9997-01-01', to: '9999-12-31', campaignId }),
      ]) {
        expect({ status: response.status, errors: response.body.errors }).toEqual({ status: 200, errors: undefined });
      }
    });

    it('answer 404 for a campaign that does not exist', async () => {
      const unknown = '00000000-0000-4000-8000-00000000abcd';
      for (const response of [await funnel({ campaignId: unknown }), await cohorts({ campaignId: unknown })]) {
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('NOT_FOUND');
      }
    });

    it('are open to analysts and marketers, not to sales', async () => {
      expect((await funnel({ campaignId }, marketer)).status).toBe(200);
      expect((await cohorts({ campaignId }, marketer)).status).toBe(200);
      for (const response of [await funnel({}, sales), await cohorts({}, sales)]) {
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
    });
  });
});
