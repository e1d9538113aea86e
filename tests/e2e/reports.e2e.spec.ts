import { eventually, startStack, TestStack } from '../support/stack';
import { EmailCampaign, makeEmailCampaign, removeEmailCampaign } from '../support/stack-helpers';

/**
 * The ROI report over HTTP on real PostgreSQL and a real Temporal worker: data seeded through the
 * API (campaign, touchpoints, conversions attributed by the worker, costs, currency rates), the
 * figures checked against numbers worked out by hand.
 *
 * Everything happens in February 2003, a month no other test uses, so the numbers are this
 * file's alone.
 *
 * Lead A: email click (campaign C) 02-03, paid_search ad click (C) 02-05, converts 02-10 for 300.00 EUR.
 * Lead B: direct visit (no campaign) 02-04, email click (C) 02-06, converts 02-12 for 123.45 USD.
 * USD rates: 0.9 from 02-01, 0.9231 from 02-11, so B's conversion counts 12345 × 0.9231 cents.
 * Costs of C on email, in EUR: 50.00 on 02-03 and 30.50 on 02-04.
 *
 * Participation in February, from the touches: email reached A and B and both clicked (A's click
 * was her first touch: a new lead of C's on email); paid search reached A; the direct visit
 * reached B, his first touch (a new lead of no campaign's on direct). Nobody was enrolled or sent
 * anything then: C is launched today, so its two enrollments and deliveries count today.
 */
describe('ROI report', () => {
  let stack: TestStack;
  let marketer: string;
  let analyst: string;
  let sales: string;
  const tag = `roi${Date.now().toString(36)}`;
  const month = { from: '2003-02-01', to: '2003-02-28' };
  let campaignId: string;
  let made: EmailCampaign | undefined;
  let usdConversion: string;

  const report = (params: Record<string, string>, key = analyst) =>
    stack.call('GET', `/v1/reports/roi?${new URLSearchParams({ ...month, ...params })}`, { key });
  const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);
  const none = { roi: null, roas: null };
  const emailTook = { enrolled: 0, delivered: 0, opened: 0, clicked: 2, engaged: 2, engagementRate: null, reached: 2, leads: 1, conversionRate: 0.5, costPerLead: '80.50' };
  const allTook = { ...emailTook, reached: 4, leads: 2, costPerLead: '40.25' };
  // Participation of a row in February, as worked out above; nothing enrolled or delivered then.
  const took = (figures: { clicked?: number; engaged?: number; reached?: number; leads?: number; conversionRate: number | null; costPerLead: string | null }) => ({
    enrolled: 0,
    delivered: 0,
    opened: 0,
    clicked: 0,
    engaged: 0,
    engagementRate: null,
    reached: 0,
    leads: 0,
    ...figures,
  });
  const campaignReport = (params: Record<string, string> = {}, key = analyst) =>
    stack.call('GET', `/v1/campaigns/${campaignId}/report?${new URLSearchParams(params)}`, { key });
  let today: string;

  beforeAll(async () => {
    stack = await startStack({ smtp: true });
    marketer = await stack.key('marketer');
    analyst = await stack.key('analyst');
    sales = await stack.key('sales');
    // Only this file writes rates for 2003; a database kept from an earlier run starts clean.
    await stack.sql(`delete from currency_rates where currency = 'USD' and day <= '2003-02-28'`);

    const lead = async (name: string) => {
      const made = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: `${tag}-${name}@example.com`, consent: { email: 'subscribed' } } });
      expect(made.status).toBe(201);
      return made.body.id as string;
    };
    const [leadA, leadB] = [await lead('a'), await lead('b')];

    made = await makeEmailCampaign(stack, marketer, { name: `ROI report ${tag}`, leadIds: [leadA, leadB], currency: 'EUR' });
    campaignId = made.campaignId;

    const touches = await stack.call('POST', '/v1/touchpoints', {
      key: marketer,
      body: {
        touchpoints: [
          { externalId: `${tag}-1`, type: 'click', channel: 'email', campaignId, leadId: leadA, occurredAt: '2003-02-03T10:00:00Z' },
          { externalId: `${tag}-2`, type: 'ad_click', channel: 'paid_search', campaignId, leadId: leadA, occurredAt: '2003-02-05T10:00:00Z' },
          { externalId: `${tag}-3`, type: 'direct', channel: 'direct', leadId: leadB, occurredAt: '2003-02-04T10:00:00Z' },
          { externalId: `${tag}-4`, type: 'click', channel: 'email', campaignId, leadId: leadB, occurredAt: '2003-02-06T10:00:00Z' },
        ],
      },
    });
    expect(touches.status).toBe(200);
    expect(touches.body.counts.accepted).toBe(4);

    const convert = async (leadId: string, value: string, currency: string, occurredAt: string) => {
      const made = await stack.call('POST', '/v1/conversions', { key: marketer, body: { leadId, value, currency, occurredAt, externalId: `${tag}-${currency}` } });
      expect(made.status).toBe(201);
      return made.body.id as string;
    };
    const eurConversion = await convert(leadA, '300.00', 'EUR', '2003-02-10T12:00:00Z');
    usdConversion = await convert(leadB, '123.45', 'USD', '2003-02-12T12:00:00Z');
    // The worker attributes both: two touches each, so linear gives two credits per conversion.
    await eventually(
      async () => {
        const rows = await stack.sql<{ n: string }>(
          `select count(*) as n from attribution_credits where conversion_id = any(?::uuid[]) and model in ('last_touch', 'linear')`,
          [`{${eurConversion},${usdConversion}}`],
        );
        return Number(rows[0].n) === 6 ? true : undefined;
      },
      60_000,
      'the credits of both conversions',
    );

    for (const [day, amount] of [['2003-02-03', '50.00'], ['2003-02-04', '30.50']]) {
      const cost = await stack.call('POST', `/v1/campaigns/${campaignId}/costs`, { key: analyst, body: { day, amount } });
      expect(cost.status).toBe(201);
      expect(cost.body).toMatchObject({ channel: 'email', currency: 'EUR' });
    }

    // Launched today: A and B are enrolled and each is sent the one email.
    today = new Date().toISOString().slice(0, 10);
    expect((await stack.call('POST', `/v1/campaigns/${campaignId}/launch`, { key: marketer })).status).toBe(202);
    await stack.smtp!.waitFor(2);
  });

  afterAll(async () => {
    if (!stack) return;
    await stack.sql('delete from conversions where external_id like ?', [`${tag}%`]);
    await stack.sql('delete from touchpoints where external_id like ?', [`${tag}%`]);
    await stack.sql('delete from leads where email like ?', [`${tag}%`]);
    if (made) await removeEmailCampaign(stack, made);
    await stack.sql(`delete from currency_rates where currency = 'USD' and day between '2003-02-01' and '2003-02-28'`);
    await stack.sql(`delete from attribution_rollups where day between '2003-02-01' and '2003-02-28'`);
    await stack.sql(`delete from attribution_channel_rollups where day between '2003-02-01' and '2003-02-28'`);
    // Deletes take no participation away: the rows go by hand.
    await stack.sql(`delete from participation_rollups where day between '2003-02-01' and '2003-02-28' or campaign_key = ?`, [campaignId ?? null]);
    await stack.stop();
  });

  it('refuses with 422 naming currency, listing the days, while a USD amount has no rate', async () => {
    const inEuros = await report({ groupBy: 'channel', models: 'last_touch,linear' });
    expect(inEuros.status).toBe(422);
    expect(inEuros.headers.get('content-type')).toContain('application/problem+json');
    expect(inEuros.body).toMatchObject({ code: 'RATES_MISSING', status: 422 });
    expect(inEuros.body.errors).toEqual([{ path: 'currency', message: 'no USD rate in EUR on or before 2003-02-12 (1 day)' }]);

    // In dollars, the euro amounts need the dollar's own rate on their days.
    const inDollars = await report({ groupBy: 'channel', currency: 'USD' });
    expect(inDollars.status).toBe(422);
    expect(inDollars.body.errors).toEqual([
      { path: 'currency', message: 'no USD (the reporting currency) rate in EUR on or before 2003-02-03, 2003-02-04, 2003-02-10 (3 days)' },
    ]);

    // The campaign's own report, in its euros: B's dollars are C's under last touch (his email click), not under first touch (his direct visit).
    const lastTouch = await campaignReport();
    expect(lastTouch.status).toBe(422);
    expect(lastTouch.body).toMatchObject({ code: 'RATES_MISSING', errors: [{ path: 'currency', message: 'no USD rate in EUR on or before 2003-02-12 (1 day)' }] });
    const firstTouch = await campaignReport({ model: 'first_touch', to: '2003-02-28' });
    expect(firstTouch.status).toBe(200);
    expect(firstTouch.body).toMatchObject({ attribution: 'first_touch', from: null, to: '2003-02-28', conversions: 1, converted: 1, revenue: '300.00', cost: '80.50', roi: 2.7267 });
  });

  it('stores rates from an analyst, refuses a bad batch whole with every path named, and lists them', async () => {
    const bad = await stack.call('PUT', '/v1/currency-rates', {
      key: analyst,
      body: {
        rates: [
          { currency: 'USD', day: '2003-02-01', rate: '0.9' },
          { currency: 'usd', day: '2003-02-30', rate: '-1' },
          { currency: 'EUR', day: '2003-02-01', rate: 0.9 },
          { currency: 'USD', day: '2003-02-01', rate: '0.95' },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INPUT_INVALID');
    expect(paths(bad.body)).toEqual(['rates[1].currency', 'rates[1].day', 'rates[1].rate', 'rates[2].currency', 'rates[2].rate', 'rates[3]']);
    expect((await stack.call('GET', '/v1/currency-rates?currency=USD&from=2003-01-01&to=2003-12-31', { key: analyst })).body).toEqual({ rates: [] });

    const rates = [
      { currency: 'USD', day: '2003-02-01', rate: '0.9' },
      { currency: 'USD', day: '2003-02-11', rate: '0.9231' },
    ];
    expect((await stack.call('PUT', '/v1/currency-rates', { key: marketer, body: { rates } })).status).toBe(403);
    const stored = await stack.call('PUT', '/v1/currency-rates', { key: analyst, body: { rates } });
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual({ created: 2, replaced: 0 });
    // Sending them again replaces them with the same values.
    expect((await stack.call('PUT', '/v1/currency-rates', { key: analyst, body: { rates } })).body).toEqual({ created: 0, replaced: 2 });

    const listed = await stack.call('GET', '/v1/currency-rates?currency=USD&from=2003-01-01&to=2003-12-31', { key: marketer });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ rates });
    const badQuery = await stack.call('GET', '/v1/currency-rates?currency=usd&from=2003-02-30', { key: analyst });
    expect(badQuery.status).toBe(400);
    expect(paths(badQuery.body)).toEqual(['currency', 'from']);
  });

  it('reports by channel under last_touch and linear side by side, converted at each day\'s rate, as worked out by hand', async () => {
    const response = await report({ groupBy: 'channel', models: 'last_touch,linear' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: '2003-02-01',
      to: '2003-02-28',
      currency: 'EUR',
      groupBy: 'channel',
      interval: null,
      models: ['last_touch', 'linear'],
      rows: [
        // The direct visit is never a last touch; under linear it has half of B's 12345 cents: 6173 × 0.9231 = 5698.2963.
        { channel: 'direct', model: 'last_touch', currency: 'EUR', conversions: 0, revenue: '0.00', cost: '0.00', ...none, costPerAcquisition: null, ...took({ reached: 1, leads: 1, conversionRate: 0, costPerLead: '0.00' }) },
        { channel: 'direct', model: 'linear', currency: 'EUR', conversions: 0.5, revenue: '56.98', cost: '0.00', ...none, costPerAcquisition: '0.00', ...took({ reached: 1, leads: 1, conversionRate: 0.5, costPerLead: '0.00' }) },
        // Last touch: B's conversion, 12345 × 0.9231 = 11395.6695 cents; cost 80.50: ROI 3346 / 8050, ROAS 11396 / 8050.
        // Participation: A and B reached and clicked (1 of 2 conversions each way: rate 0.5); A a new lead: 80.50 per lead.
        { channel: 'email', model: 'last_touch', currency: 'EUR', conversions: 1, revenue: '113.96', cost: '80.50', roi: 0.4157, roas: 1.4157, costPerAcquisition: '80.50', ...emailTook },
        // Linear: half of A's 300.00 and half of B's (6172 × 0.9231 = 5697.3732): 20697.3732 cents.
        { channel: 'email', model: 'linear', currency: 'EUR', conversions: 1, revenue: '206.97', cost: '80.50', roi: 1.5711, roas: 2.5711, costPerAcquisition: '80.50', ...emailTook },
        // No cost recorded on paid search: ROI and ROAS are null, never Infinity.
        // An ad click is not an email click: paid search only reached A.
        { channel: 'paid_search', model: 'last_touch', currency: 'EUR', conversions: 1, revenue: '300.00', cost: '0.00', ...none, costPerAcquisition: '0.00', ...took({ reached: 1, conversionRate: 1, costPerLead: null }) },
        { channel: 'paid_search', model: 'linear', currency: 'EUR', conversions: 0.5, revenue: '150.00', cost: '0.00', ...none, costPerAcquisition: '0.00', ...took({ reached: 1, conversionRate: 0.5, costPerLead: null }) },
      ],
      // Each total is rounded once from the exact sum (41395.6695 cents), so linear's rows add up to 413.95.
      // Participation totals: 4 reached (2 conversions: 0.5), 2 new leads (80.50 / 2 = 40.25 each).
      totals: [
        { model: 'last_touch', currency: 'EUR', conversions: 2, revenue: '413.96', cost: '80.50', roi: 4.1424, roas: 5.1424, costPerAcquisition: '40.25', ...allTook },
        { model: 'linear', currency: 'EUR', conversions: 2, revenue: '413.96', cost: '80.50', roi: 4.1424, roas: 5.1424, costPerAcquisition: '40.25', ...allTook },
      ],
    });
  });

  it('reports by campaign, with touches of no campaign on a row of their own', async () => {
    const response = await report({ models: 'linear' });
    expect(response.status).toBe(200);
    expect(response.body.groupBy).toBe('campaign');
    expect(response.body.rows).toEqual([
      // 15000 + 15000 + 5697.3732 cents; 1.5 conversions: 80.50 / 1.5 = 53.666…
      // C reached A on email and paid search and B on email: 3 (1.5 / 3 = 0.5); one new lead, A.
      { campaignId, campaignName: `ROI report ${tag}`, model: 'linear', currency: 'EUR', conversions: 1.5, revenue: '356.97', cost: '80.50', roi: 3.4344, roas: 4.4344, costPerAcquisition: '53.67', ...took({ clicked: 2, engaged: 2, reached: 3, leads: 1, conversionRate: 0.5, costPerLead: '80.50' }) },
      { campaignId: null, campaignName: '(no campaign)', model: 'linear', currency: 'EUR', conversions: 0.5, revenue: '56.98', cost: '0.00', ...none, costPerAcquisition: '0.00', ...took({ reached: 1, leads: 1, conversionRate: 0.5, costPerLead: '0.00' }) },
    ]);
    expect(response.body.totals).toEqual([
      { model: 'linear', currency: 'EUR', conversions: 2, revenue: '413.96', cost: '80.50', roi: 4.1424, roas: 5.1424, costPerAcquisition: '40.25', ...allTook },
    ]);
  });

  it('reports in another currency through the rates (cross rates)', async () => {
    const response = await report({ groupBy: 'channel', currency: 'USD' });
    expect(response.status).toBe(200);
    // A's 300.00 EUR on 02-10 at 0.9: 33333.33… cents; costs 8050 / 0.9 = 8944.44… cents.
    // The direct row has participation only (B's visit) under last touch.
    expect(response.body.rows).toEqual([
      { channel: 'direct', model: 'last_touch', currency: 'USD', conversions: 0, revenue: '0.00', cost: '0.00', ...none, costPerAcquisition: null, ...took({ reached: 1, leads: 1, conversionRate: 0, costPerLead: '0.00' }) },
      { channel: 'email', model: 'last_touch', currency: 'USD', conversions: 1, revenue: '123.45', cost: '89.44', roi: 0.3803, roas: 1.3803, costPerAcquisition: '89.44', ...emailTook, costPerLead: '89.44' },
      { channel: 'paid_search', model: 'last_touch', currency: 'USD', conversions: 1, revenue: '333.33', cost: '0.00', ...none, costPerAcquisition: '0.00', ...took({ reached: 1, conversionRate: 1, costPerLead: null }) },
    ]);
    expect(response.body.totals).toEqual([
      { model: 'last_touch', currency: 'USD', conversions: 2, revenue: '456.78', cost: '89.44', roi: 4.1071, roas: 5.1071, costPerAcquisition: '44.72', ...allTook, costPerLead: '44.72' },
    ]);
  });

  it('gives the same figures as CSV', async () => {
    const params = { groupBy: 'campaign,channel', models: 'last_touch,linear' };
    const json = await report(params);
    expect(json.status).toBe(200);
    const csv = await report({ ...params, format: 'csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');

    const figures = ['conversions', 'revenue', 'cost', 'roi', 'roas', 'costPerAcquisition', 'enrolled', 'delivered', 'opened', 'clicked', 'engaged', 'engagementRate', 'reached', 'leads', 'conversionRate', 'costPerLead'];
    const header = ['campaignId', 'campaignName', 'channel', 'model', 'currency', ...figures];
    const line = (record: Record<string, unknown>) => header.map((field) => (record[field] === null || record[field] === undefined ? '' : String(record[field]))).join(',');
    const expected = [header.join(','), ...json.body.rows.map(line), ...json.body.totals.map(line)].map((l) => l + '\r\n').join('');
    expect(json.body.rows).toHaveLength(6);
    expect(csv.body).toBe(expected);
  });

  it('gives a weekly series not grouped (weeks from Monday, the ends clipped), every week present, with totals over the range, as JSON and CSV', async () => {
    const zero = { conversions: 0, revenue: '0.00', cost: '0.00', ...none, costPerAcquisition: null, ...took({ conversionRate: null, costPerLead: null }) };
    const response = await report({ groupBy: 'none', interval: 'week', models: 'linear' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ groupBy: 'none', interval: 'week', models: ['linear'] });
    expect(response.body.rows).toEqual([
      // 2003-02-01 is a Saturday: the first week is named by its Monday, but counts only the 1st and 2nd.
      { period: '2003-01-27', model: 'linear', currency: 'EUR', ...zero },
      // All four touches and both costs, no conversion yet: ROI −1; 4 reached, 2 new leads at 40.25 each.
      {
        period: '2003-02-03', model: 'linear', currency: 'EUR', conversions: 0, revenue: '0.00', cost: '80.50', roi: -1, roas: 0, costPerAcquisition: null,
        ...took({ clicked: 2, engaged: 2, reached: 4, leads: 2, conversionRate: 0, costPerLead: '40.25' }),
      },
      // Both conversions (02-10 and 02-12), nobody reached that week: conversion rate null.
      { period: '2003-02-10', model: 'linear', currency: 'EUR', conversions: 2, revenue: '413.96', cost: '0.00', ...none, costPerAcquisition: '0.00', ...took({ conversionRate: null, costPerLead: null }) },
      { period: '2003-02-17', model: 'linear', currency: 'EUR', ...zero },
      { period: '2003-02-24', model: 'linear', currency: 'EUR', ...zero },
    ]);
    expect(response.body.totals).toEqual([
      { model: 'linear', currency: 'EUR', conversions: 2, revenue: '413.96', cost: '80.50', roi: 4.1424, roas: 5.1424, costPerAcquisition: '40.25', ...allTook },
    ]);

    const csv = await report({ groupBy: 'none', interval: 'week', models: 'linear', format: 'csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('roi-none-by-week-2003-02-01-2003-02-28-EUR.csv');
    const header = ['period', 'model', 'currency', 'conversions', 'revenue', 'cost', 'roi', 'roas', 'costPerAcquisition', 'enrolled', 'delivered', 'opened', 'clicked', 'engaged', 'engagementRate', 'reached', 'leads', 'conversionRate', 'costPerLead'];
    const line = (record: Record<string, unknown>) => header.map((field) => (record[field] === null || record[field] === undefined ? '' : String(record[field]))).join(',');
    expect(csv.body).toBe([header.join(','), ...response.body.rows.map(line), ...response.body.totals.map(line)].map((l) => l + '\r\n').join(''));
  });

  it('gives by month, within one month, the rows of the whole range, each with the month\'s first day', async () => {
    const params = { groupBy: 'campaign,channel', models: 'last_touch,linear' };
    const whole = await report(params);
    const monthly = await report({ ...params, interval: 'month' });
    expect(monthly.status).toBe(200);
    expect(monthly.body.rows).toEqual(whole.body.rows.map((row: object) => ({ period: '2003-02-01', ...row })));
    expect(monthly.body.totals).toEqual(whole.body.totals);
    // A daily series has every day of the month for each of the 3 groups under both models.
    const daily = await report({ ...params, interval: 'day' });
    expect(daily.body.rows).toHaveLength(28 * 3 * 2);
    expect(daily.body.rows.filter((r: { period: string }) => r.period === '2003-02-06').find((r: { channel: string; model: string }) => r.channel === 'email' && r.model === 'linear')).toMatchObject({
      campaignId,
      reached: 1,
      clicked: 1,
      leads: 0,
    });
  });

  it('reports one campaign from the roll-ups, under a model and over a range, in its currency', async () => {
    const february = await campaignReport({ model: 'linear', from: '2003-02-01', to: '2003-02-28' });
    expect(february.status).toBe(200);
    expect(february.body).toEqual({
      campaignId,
      currency: 'EUR',
      from: '2003-02-01',
      to: '2003-02-28',
      // As C's row by campaign under linear.
      conversions: 1.5,
      revenue: '356.97',
      cost: '80.50',
      roi: 3.4344,
      roas: 4.4344,
      costPerAcquisition: '53.67',
      ...took({ clicked: 2, engaged: 2, reached: 3, leads: 1, conversionRate: 0.5, costPerLead: '80.50' }),
      sent: 0,
      converted: 1.5,
      attribution: 'linear',
    });

    // All time, last touch: both conversions are C's (A's paid search and B's email were their last touches),
    // and today's two enrollments and deliveries count: 2 engaged of 2 delivered.
    const allTime = await eventually(async () => {
      const answer = await campaignReport();
      return answer.body.delivered === 2 ? answer : undefined;
    }, 60_000, 'the two deliveries');
    expect(allTime.body).toEqual({
      campaignId,
      currency: 'EUR',
      from: null,
      to: null,
      conversions: 2,
      revenue: '413.96',
      cost: '80.50',
      roi: 4.1424,
      roas: 5.1424,
      costPerAcquisition: '40.25',
      enrolled: 2,
      delivered: 2,
      opened: 0,
      clicked: 2,
      engaged: 2,
      engagementRate: 1,
      reached: 3,
      leads: 1,
      conversionRate: 0.6667,
      costPerLead: '80.50',
      sent: 2,
      converted: 2,
      attribution: 'last_touch',
    });

    // From today on: the enrollments and deliveries alone.
    const sinceToday = await campaignReport({ from: today });
    expect(sinceToday.body).toMatchObject({ from: today, to: null, enrolled: 2, delivered: 2, engaged: 0, engagementRate: 0, reached: 0, conversions: 0, conversionRate: null, cost: '0.00', costPerLead: null });

    for (const [params, expected] of [
      [{ model: 'bogus' }, ['model']],
      [{ from: '2003-02-30', to: 'soon' }, ['from', 'to']],
      [{ from: '2003-03-01', to: '2003-02-01' }, ['to']],
      [{ currency: 'USD' }, ['currency']],
    ] as [Record<string, string>, string[]][]) {
      const refused = await campaignReport(params);
      expect({ params, status: refused.status, code: refused.body.code, paths: paths(refused.body) }).toEqual({ params, status: 400, code: 'INPUT_INVALID', paths: expected });
    }
    expect((await campaignReport({}, sales)).status).toBe(403);
  });

  it('names the field of a bad model, bad dates or an unknown parameter in a 400', async () => {
    const cases: [Record<string, string>, string[]][] = [
      [{ models: 'last_touch,bogus' }, ['models']],
      [{ from: '2003-02-30' }, ['from']],
      [{ from: '2003-03-01' }, ['to']],
      [{ from: '2000-01-01', to: '2003-01-02' }, ['to']],
      [{ groupBy: 'model' }, ['groupBy']],
      [{ groupBy: 'none,channel' }, ['groupBy']],
      [{ interval: 'year' }, ['interval']],
      [{ interval: 'Week', groupBy: 'x' }, ['groupBy', 'interval']],
      [{ currency: 'XYZ' }, ['currency']],
      [{ format: 'xml' }, ['format']],
      [{ limit: '10' }, ['limit']],
    ];
    for (const [params, expected] of cases) {
      const response = await report(params);
      expect({ params, status: response.status, code: response.body.code, paths: paths(response.body) }).toEqual({ params, status: 400, code: 'INPUT_INVALID', paths: expected });
    }
    const missing = await stack.call('GET', '/v1/reports/roi', { key: analyst });
    expect(missing.status).toBe(400);
    expect(paths(missing.body)).toEqual(['from', 'to']);
  });

  it('is open to analysts and marketers, not to sales', async () => {
    expect((await report({}, marketer)).status).toBe(200);
    const refused = await report({}, sales);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect((await stack.call('GET', '/v1/currency-rates', { key: sales })).status).toBe(403);
  });

  it('reads the roll-ups: it follows a change made to them alone, and a deleted conversion', async () => {
    const before = await report({ groupBy: 'channel' });
    expect(before.body.totals[0].revenue).toBe('413.96');
    // One euro more in a roll-up row (the credits unchanged) shows in the report: by channel
    // from the roll-up without campaigns, by campaign from the one with them.
    const touched = `day = '2003-02-10' and channel = 'paid_search' and model = 'last_touch' and currency = 'EUR'`;
    const byCampaign = (await report({ groupBy: 'campaign' })).body.totals[0].revenue;
    expect(byCampaign).toBe('413.96');
    for (const [table, groupBy] of [['attribution_channel_rollups', 'channel'], ['attribution_rollups', 'campaign']]) {
      await stack.sql(`update ${table} set revenue_minor = revenue_minor + 100 where ${touched}`);
      try {
        expect((await report({ groupBy })).body.totals[0].revenue).toBe('414.96');
      } finally {
        await stack.sql(`update ${table} set revenue_minor = revenue_minor - 100 where ${touched}`);
      }
    }

    // The dollar conversion goes; its credits go with it and the roll-ups follow by trigger.
    await stack.sql('delete from conversions where id = ?', [usdConversion]);
    const after = await report({ groupBy: 'channel', models: 'last_touch,linear' });
    expect(after.status).toBe(200);
    // Participation stays: it counts what happened.
    expect(after.body.rows).toEqual([
      { channel: 'direct', model: 'last_touch', currency: 'EUR', conversions: 0, revenue: '0.00', cost: '0.00', ...none, costPerAcquisition: null, ...took({ reached: 1, leads: 1, conversionRate: 0, costPerLead: '0.00' }) },
      { channel: 'direct', model: 'linear', currency: 'EUR', conversions: 0, revenue: '0.00', cost: '0.00', ...none, costPerAcquisition: null, ...took({ reached: 1, leads: 1, conversionRate: 0, costPerLead: '0.00' }) },
      // No conversions left on email under last touch: ROI −1, cost per acquisition null.
      { channel: 'email', model: 'last_touch', currency: 'EUR', conversions: 0, revenue: '0.00', cost: '80.50', roi: -1, roas: 0, costPerAcquisition: null, ...emailTook, conversionRate: 0 },
      { channel: 'email', model: 'linear', currency: 'EUR', conversions: 0.5, revenue: '150.00', cost: '80.50', roi: 0.8634, roas: 1.8634, costPerAcquisition: '161.00', ...emailTook, conversionRate: 0.25 },
      { channel: 'paid_search', model: 'last_touch', currency: 'EUR', conversions: 1, revenue: '300.00', cost: '0.00', ...none, costPerAcquisition: '0.00', ...took({ reached: 1, conversionRate: 1, costPerLead: null }) },
      { channel: 'paid_search', model: 'linear', currency: 'EUR', conversions: 0.5, revenue: '150.00', cost: '0.00', ...none, costPerAcquisition: '0.00', ...took({ reached: 1, conversionRate: 0.5, costPerLead: null }) },
    ]);
    expect(after.body.totals).toEqual([
      { model: 'last_touch', currency: 'EUR', conversions: 1, revenue: '300.00', cost: '80.50', roi: 2.7267, roas: 3.7267, costPerAcquisition: '80.50', ...allTook, conversionRate: 0.25 },
      { model: 'linear', currency: 'EUR', conversions: 1, revenue: '300.00', cost: '80.50', roi: 2.7267, roas: 3.7267, costPerAcquisition: '80.50', ...allTook, conversionRate: 0.25 },
    ]);
  });
});
