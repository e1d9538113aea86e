import { statSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chartOn, collectPageErrors, launchChromium, testResultPath } from '../support/browser';
import { EmailCampaign, makeEmailCampaign, removeEmailCampaign } from '../support/stack-helpers';
import { eventually, startStack, TestStack } from '../support/stack';

/**
 * The analytics dashboard in headless Chromium (Debian's, driven by playwright-core) against the
 * API with a real worker: what each chart draws is compared with what the report API answers
 * for the same query.
 *
 * Everything happens in July 2004, a month no other test uses, so the numbers are this file's alone.
 *
 * Lead A (a customer): email touch 07-03, paid_search touch 07-05, converts 07-10 for 300.00 EUR.
 * Lead B (a subscriber): paid_social touch 07-04, email touch 07-06, converts 07-20 for 120.00 EUR.
 * Both leads are made as if created on 07-02, so they are the funnel's cohort for July.
 * Costs of the campaign, in EUR: email 50.00 (07-03), paid_social 20.00 (07-04), paid_search 40.00 (07-05).
 * First touch credits email with 300 and paid_social with 120; last touch paid_search with 300 and email with 120.
 */
describe('analytics dashboard', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let analyst: string;
  let marketer: string;
  const tag = `dash${Date.now().toString(36)}`;
  const month = { from: '2004-07-01', to: '2004-07-31' };
  const campaignName = `Dashboard ${tag}`;
  let campaign: EmailCampaign | undefined;
  let campaignId: string;

  const api = async (path: string, params: Record<string, string>) => {
    const response = await stack.call('GET', `${path}?${new URLSearchParams(params)}`, { key: analyst });
    expect({ path, params, status: response.status }).toEqual({ path, params, status: 200 });
    return response.body;
  };
  const roi = (params: Record<string, string>) => api('/v1/reports/roi', { ...month, ...params });
  const modelLabel = (model: string) => model[0].toUpperCase() + model.slice(1).replace(/_/g, ' ');
  /** How many keys the page keeps in its tab's sessionStorage. */
  const storedKeys = (on: Page) => on.evaluate(() => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length);

  /** Runs a user action that changes the filters and waits until the page has drawn its answer. */
  async function afterReload(action: () => Promise<unknown>): Promise<void> {
    const before = Number(await page.getAttribute('body', 'data-load-seq'));
    await action();
    await page.waitForFunction(
      (seq) => {
        const data = (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body.dataset;
        return Number(data.loadSeq) > seq && data.loadSeq === data.loadedSeq;
      },
      before,
    );
  }

  /** The ROI-by-channel chart as the API's rows say it should be. */
  const roiChartOf = (report: { currency: string; rows: { channel: string; revenue: string; cost: string; roi: number | null }[] }) => ({
    type: 'bar',
    labels: report.rows.map((r) => r.channel),
    datasets: [
      { label: `Revenue (${report.currency})`, data: report.rows.map((r) => Number(r.revenue)) },
      { label: `Cost (${report.currency})`, data: report.rows.map((r) => Number(r.cost)) },
      { label: 'ROI', data: report.rows.map((r) => r.roi) },
    ],
  });

  beforeAll(async () => {
    stack = await startStack();
    marketer = await stack.key('marketer');
    analyst = await stack.key('analyst');

    const lead = async (name: string, lifecycleStage: string) => {
      const made = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: `${tag}-${name}@example.com`, lifecycleStage } });
      expect(made.status).toBe(201);
      return made.body.id as string;
    };
    const [leadA, leadB] = [await lead('a', 'customer'), await lead('b', 'subscriber')];
    // The funnel's cohort is the leads created in the range; no endpoint backdates a lead.
    await stack.sql(`update leads set created_at = '2004-07-02T09:00:00Z' where id = any(?::uuid[])`, [`{${leadA},${leadB}}`]);
    campaign = await makeEmailCampaign(stack, marketer, { name: campaignName, leadIds: [leadA, leadB], currency: 'EUR' });
    campaignId = campaign.campaignId;

    const touches = await stack.call('POST', '/v1/touchpoints', {
      key: marketer,
      body: {
        touchpoints: [
          { externalId: `${tag}-1`, type: 'click', channel: 'email', campaignId, leadId: leadA, occurredAt: '2004-07-03T10:00:00Z' },
          { externalId: `${tag}-2`, type: 'ad_click', channel: 'paid_search', campaignId, leadId: leadA, occurredAt: '2004-07-05T10:00:00Z' },
          { externalId: `${tag}-3`, type: 'social', channel: 'paid_social', campaignId, leadId: leadB, occurredAt: '2004-07-04T10:00:00Z' },
          { externalId: `${tag}-4`, type: 'click', channel: 'email', campaignId, leadId: leadB, occurredAt: '2004-07-06T10:00:00Z' },
        ],
      },
    });
    expect(touches.status).toBe(200);
    expect(touches.body.counts.accepted).toBe(4);

    for (const [leadId, value, occurredAt, name] of [
      [leadA, '300.00', '2004-07-10T12:00:00Z', 'a'],
      [leadB, '120.00', '2004-07-20T12:00:00Z', 'b'],
    ]) {
      const made = await stack.call('POST', '/v1/conversions', { key: marketer, body: { leadId, value, currency: 'EUR', occurredAt, externalId: `${tag}-${name}` } });
      expect(made.status).toBe(201);
    }
    for (const [channel, day, amount] of [['email', '2004-07-03', '50.00'], ['paid_social', '2004-07-04', '20.00'], ['paid_search', '2004-07-05', '40.00']]) {
      const cost = await stack.call('POST', `/v1/campaigns/${campaignId}/costs`, { key: analyst, body: { day, amount, channel } });
      expect(cost.status).toBe(201);
    }
    // The worker credits each conversion under every model in one transaction: once both count
    // under first and last touch, every rule-based model has them. Markov and Shapley credit only
    // once a refresh has learnt their weights, so this file takes what the API answers for them.
    await eventually(
      async () => {
        const report = await stack.call('GET', `/v1/reports/roi?${new URLSearchParams({ ...month, groupBy: 'channel', models: 'first_touch,last_touch' })}`, { key: analyst });
        return report.status === 200 && report.body.totals.every((t: { conversions: number }) => t.conversions === 2) ? true : undefined;
      },
      60_000,
      'both conversions attributed',
    );

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
    page = await context.newPage();
    pageErrors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    if (!stack) return;
    await stack.sql('delete from conversions where external_id like ?', [`${tag}%`]);
    await stack.sql('delete from touchpoints where external_id like ?', [`${tag}%`]);
    await stack.sql('delete from leads where email like ?', [`${tag}%`]);
    if (campaign) await removeEmailCampaign(stack, campaign);
    await stack.sql(`delete from attribution_rollups where day between '2004-07-01' and '2004-07-31'`);
    await stack.stop();
  });

  it('serves a page without data or key, under a policy that allows only its own scripts', async () => {
    const response = await fetch(`${stack.baseUrl}/dashboard`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).toContain('<option value="first_touch">First touch</option>');

    const bundle = await fetch(`${stack.baseUrl}/dashboard/assets/chart.umd.min.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('text/javascript');
    expect(await bundle.text()).toContain('Chart.js');
    const unknown = await fetch(`${stack.baseUrl}/dashboard/assets/..%2Fdashboard.controller.ts`);
    expect(unknown.status).toBe(404);
  });

  it('signs in with an analyst key and draws ROI by channel with the report API\'s numbers', async () => {
    // Opened on this file's month (the filters live in the page's address): the default, the last
    // 30 days, holds other test files' data, in currencies this database may have no rate for.
    await page.goto(`${stack.baseUrl}/dashboard?${new URLSearchParams(month)}`);
    await page.locator('#api-key').fill(analyst);
    await afterReload(() => page.getByRole('button', { name: 'Sign in' }).click());
    expect(await page.locator('#dashboard').isVisible()).toBe(true);
    expect(await storedKeys(page)).toBe(1);

    // The page asks nothing of the API while the range is upside down.
    await afterReload(() => page.locator('#filter-from').fill('2004-08-15'));
    expect(await page.locator('#message').textContent()).toContain('on or after the first day');
    await afterReload(() => page.locator('#filter-from').fill(month.from));
    expect(await page.locator('#message').isHidden()).toBe(true);
    await afterReload(() => page.locator('#filter-model').selectOption('first_touch'));

    const report = await roi({ models: 'first_touch', groupBy: 'channel' });
    const drawn = await chartOn(page, 'chart-roi');
    expect(drawn).toEqual(roiChartOf(report));
    // The seeded figures, worked out by hand: first touch credits email and paid social.
    expect(drawn?.labels).toEqual(['email', 'paid_search', 'paid_social']);
    expect(drawn?.datasets.map((d) => d.data)).toEqual([
      [300, 0, 120],
      [50, 40, 20],
      [5, -1, 5],
    ]);
    expect(await page.locator('#table-roi tbody tr').count()).toBe(3);
  });

  it('shows the other model\'s numbers when the model filter changes', async () => {
    await afterReload(() => page.locator('#filter-model').selectOption('last_touch'));
    const drawn = await chartOn(page, 'chart-roi');
    expect(drawn).toEqual(roiChartOf(await roi({ models: 'last_touch', groupBy: 'channel' })));
    expect(drawn?.datasets[0].data).toEqual([120, 300, 0]);
    expect(drawn?.datasets[2].data).toEqual([1.4, 6.5, -1]);
    expect(await page.locator('#table-totals tr.chosen th').textContent()).toBe('Last touch');
  });

  it('compares every model\'s attributed revenue by channel, and lists every model\'s totals', async () => {
    const models = await page.locator('#filter-model option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    expect(models).toEqual(expect.arrayContaining(['first_touch', 'last_touch', 'linear', 'markov', 'shapley']));
    const report = await roi({ models: models.join(','), groupBy: 'channel' });
    const channels = [...new Set<string>(report.rows.map((r: { channel: string }) => r.channel))];
    const revenue = (model: string, channel: string) => {
      const row = report.rows.find((r: { model: string; channel: string }) => r.model === model && r.channel === channel);
      return row ? Number(row.revenue) : null;
    };
    expect(await chartOn(page, 'chart-models')).toEqual({
      type: 'bar',
      labels: channels,
      datasets: models.map((model) => ({ label: modelLabel(model), data: channels.map((channel) => revenue(model, channel)) })),
    });

    const totals = await page.locator('#table-totals tbody tr').evaluateAll((rows) =>
      rows.map((row) => Array.from((row as unknown as { cells: { textContent: string }[] }).cells, (cell) => cell.textContent)),
    );
    const shown = (value: unknown) => (value === null ? '—' : String(value));
    expect(totals).toEqual(
      report.totals.map((t: Record<string, unknown>) =>
        [modelLabel(String(t.model)), t.conversions, t.revenue, t.cost, t.roi, t.roas, t.costPerAcquisition].map(shown),
      ),
    );
  });

  it('draws revenue against cost per week and per month as the report API counts them', async () => {
    // Weekly last, so that the screenshot shows a line.
    for (const interval of ['month', 'week']) {
      await afterReload(() => page.locator('#filter-interval').selectOption(interval));
      const report = await roi({ models: 'last_touch', groupBy: 'none', interval });
      const rows = [...report.rows].sort((a: { period: string }, b: { period: string }) => a.period.localeCompare(b.period));
      expect(await chartOn(page, 'chart-timeline')).toEqual({
        type: 'line',
        labels: rows.map((r: { period: string }) => r.period),
        datasets: [
          { label: 'Revenue (EUR)', data: rows.map((r: { revenue: string }) => Number(r.revenue)) },
          { label: 'Cost (EUR)', data: rows.map((r: { cost: string }) => Number(r.cost)) },
        ],
      });
      if (interval === 'month') expect(rows.map((r: { period: string }) => r.period)).toEqual(['2004-07-01']);
    }
  });

  it('draws the funnel by lifecycle stage from the funnel report', async () => {
    const funnel = await api('/v1/reports/funnel', month);
    // The customer reached every stage; the subscriber only the first.
    expect(funnel.stages.map((s: { reached: number }) => s.reached)).toEqual([2, 1, 1, 1, 1, 1]);
    expect(await page.locator('#table-funnel caption').textContent()).toBe('Leads: 2, disqualified: 0');
    expect(await chartOn(page, 'chart-funnel')).toEqual({
      type: 'bar',
      labels: ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer'],
      datasets: [
        { label: 'Reached', data: funnel.stages.map((s: { reached: number }) => s.reached) },
        { label: 'Still in', data: funnel.stages.map((s: { stillIn: number }) => s.stillIn) },
      ],
    });
  });

  it('narrows every chart to one campaign', async () => {
    expect(await page.locator('#filter-campaign option', { hasText: campaignName }).count()).toBe(1);
    await afterReload(() => page.locator('#filter-campaign').selectOption({ label: campaignName }));
    const report = await roi({ models: 'last_touch', groupBy: 'campaign,channel' });
    const ofCampaign = { ...report, rows: report.rows.filter((r: { campaignId: string | null }) => r.campaignId === campaignId) };
    expect(await chartOn(page, 'chart-roi')).toEqual(roiChartOf(ofCampaign));
    expect(page.url()).toContain(`campaign=${campaignId}`);
    // Back to every campaign for the screenshot.
    await afterReload(() => page.locator('#filter-campaign').selectOption(''));
  });

  it('loaded every chart without a console error, and saves a screenshot', async () => {
    expect(await page.getAttribute('body', 'data-state')).toBe('ready');
    expect(await page.locator('.panel-message.bad').allTextContents()).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.locator('h1').click();
    const path = testResultPath('dashboard.png');
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(10_000);
  });

  it('signs out, forgetting the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.locator('#sign-in').isVisible()).toBe(true);
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    expect(await storedKeys(page)).toBe(0);
  });

  it('says why a wrong key or a key without access to reports is refused, and shows no chart', async () => {
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${stack.baseUrl}/dashboard`);
      const message = fresh.locator('#message');
      await fresh.locator('#api-key').fill('ce_not-a-real-key');
      await fresh.getByRole('button', { name: 'Sign in' }).click();
      await message.waitFor({ state: 'visible' });
      expect(await message.textContent()).toMatch(/^The API key was not accepted\. Auth required \(401\): /);
      expect(await fresh.locator('#dashboard').isHidden()).toBe(true);
      expect(await chartOn(fresh, 'chart-roi')).toBeNull();

      const sales = await stack.key('sales');
      await fresh.locator('#api-key').fill(sales);
      await fresh.getByRole('button', { name: 'Sign in' }).click();
      await fresh.locator('#message', { hasText: '403' }).waitFor();
      expect(await message.textContent()).toMatch(/^This API key may not read reports\. Forbidden \(403\): /);
      expect(await fresh.locator('#sign-in').isVisible()).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});
