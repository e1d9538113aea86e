import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { E2E_ENV } from '../support/e2e-env';
import { eventually, startStack, TestStack } from '../support/stack';

const DEFAULTS = { lookbackDays: 90, halfLifeDays: 7 };

/**
 * The attribution settings over HTTP, on real PostgreSQL and a real Temporal worker: changing
 * the look-back window and the half-life attributes conversions again under them.
 *
 * One lead (September 2006, a month no other test uses) touched by paid search 40 days and by
 * email 10 days before a conversion of 100.00 EUR. With the defaults both touches count; time
 * decay gives the email touch 1 / (1 + 2^(-30/7)) of the credit. With a 30-day window only the
 * email touch counts.
 */
describe('attribution settings', () => {
  let stack: TestStack;
  let temporal: Connection;
  let analyst: string;
  let marketer: string;
  let conversionId: string;
  const tag = randomUUID().slice(0, 8);

  const put = (body: unknown, key = analyst) => stack.call('PUT', '/v1/attribution/settings', { key, body });
  /** Waits for the refresh that a change started to end, so no pass outlives this file. */
  const refreshEnded = async (workflowId: string) => new Client({ connection: temporal }).workflow.getHandle(workflowId).result();
  const credits = (model: string) =>
    stack.sql<{ channel: string; credit: number; revenue_minor: string }>(
      'select channel, credit, revenue_minor::text from attribution_credits where conversion_id = ? and model = ? order by channel',
      [conversionId, model],
    );

  beforeAll(async () => {
    stack = await startStack();
    temporal = await Connection.connect({ address: process.env[E2E_ENV.temporalAddress]! });
    analyst = await stack.key('analyst');
    marketer = await stack.key('marketer');
    const lead = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: `settings-${tag}@example.com` } });
    expect(lead.status).toBe(201);
    const leadId = lead.body.id as string;
    const touches = [
      { externalId: `${tag}-search`, type: 'visit', occurredAt: '2006-08-11T12:00:00Z', leadId, channel: 'paid_search' },
      { externalId: `${tag}-email`, type: 'visit', occurredAt: '2006-09-10T12:00:00Z', leadId, channel: 'email' },
    ];
    expect((await stack.call('POST', '/v1/touchpoints', { key: marketer, body: { touchpoints: touches } })).status).toBe(200);
    const conversion = await stack.call('POST', '/v1/conversions', {
      key: marketer,
      body: { leadId, value: '100.00', currency: 'EUR', occurredAt: '2006-09-20T12:00:00Z', externalId: `${tag}-order` },
    });
    expect(conversion.status).toBe(201);
    conversionId = conversion.body.id;
    await eventually(async () => ((await credits('linear')).length === 2 ? true : undefined), 60_000, 'the conversion attributed');
  });

  afterAll(async () => {
    if (stack && temporal) {
      // Back to the defaults for the files after this one, waiting for that refresh to end.
      const back = await put(DEFAULTS);
      if (back.body?.refresh) await refreshEnded(back.body.refresh.workflowId);
    }
    await temporal?.close();
    await stack?.stop();
  });

  it('starts from the defaults: 90 days back, a 7-day half-life', async () => {
    const settings = await stack.call('GET', '/v1/attribution/settings', { key: marketer });
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject(DEFAULTS);
    expect(await credits('linear')).toEqual([
      { channel: 'email', credit: 0.5, revenue_minor: '5000' },
      { channel: 'paid_search', credit: 0.5, revenue_minor: '5000' },
    ]);
    const decay = await credits('time_decay');
    expect(decay[0].channel).toBe('email');
    expect(decay[0].credit).toBeCloseTo(1 / (1 + 2 ** (-30 / 7)), 9);
  });

  it('attributes every conversion again when the window narrows, and again when it widens', async () => {
    const narrowed = await put({ lookbackDays: 30, halfLifeDays: 3.5 });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body).toMatchObject({ lookbackDays: 30, halfLifeDays: 3.5, refresh: { workflowId: 'attribution-refresh' } });
    await refreshEnded(narrowed.body.refresh.workflowId);
    for (const model of ['linear', 'time_decay', 'first_touch']) expect(await credits(model)).toEqual([{ channel: 'email', credit: 1, revenue_minor: '10000' }]);

    // The same settings again change nothing and start nothing.
    const same = await put({ lookbackDays: 30, halfLifeDays: 3.5 });
    expect(same.body).toMatchObject({ lookbackDays: 30, halfLifeDays: 3.5, refresh: null });

    const widened = await put(DEFAULTS);
    expect(widened.body.refresh).not.toBeNull();
    await refreshEnded(widened.body.refresh.workflowId);
    expect((await credits('first_touch')).map((c) => [c.channel, c.credit])).toEqual([['paid_search', 1]]);
  });

  it('refuses bad settings, naming each field, and keeps what was there', async () => {
    const bad = await put({ lookbackDays: 0, halfLifeDays: 'a week' });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.errors.map((e: { path: string }) => e.path))].sort()).toEqual(['halfLifeDays', 'lookbackDays']);
    expect((await put({ lookbackDays: 366, halfLifeDays: 7 })).body.errors.map((e: { path: string }) => e.path)).toEqual(['lookbackDays']);
    expect((await put({ lookbackDays: 90, halfLifeDays: 7.125 })).body.errors.map((e: { path: string }) => e.path)).toEqual(['halfLifeDays']);
    expect((await put({ lookbackDays: 12.5, halfLifeDays: 7 })).status).toBe(400);
    expect((await stack.call('GET', '/v1/attribution/settings', { key: analyst })).body).toMatchObject(DEFAULTS);
  });

  it('hands the daily refresh to the one refresh workflow that changes and requests use', async () => {
    const client = new Client({ connection: temporal });
    const schedule = client.schedule.getHandle('attribution-refresh-daily');
    const taken = (await schedule.describe()).info.numActionsTaken;
    await schedule.trigger();
    const action = await eventually(async () => {
      const { info } = await schedule.describe();
      return info.numActionsTaken > taken ? info.recentActions[info.recentActions.length - 1] : undefined;
    }, 30_000, 'the schedule to act');
    // The schedule's own workflow has an id of its own; it starts (or joins) `attribution-refresh`.
    const daily = client.workflow.getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId);
    expect((await daily.describe()).type).toBe('dailyAttributionRefresh');
    const handedTo = await daily.result();
    expect(handedTo).toMatch(/^attribution-refresh\//);
    await refreshEnded('attribution-refresh');
  });

  it('lets analysts change the settings, marketers read them, and no one else either', async () => {
    const sales = await stack.key('sales');
    expect((await put(DEFAULTS, marketer)).status).toBe(403);
    expect((await put(DEFAULTS, sales)).status).toBe(403);
    expect((await stack.call('GET', '/v1/attribution/settings', { key: sales })).status).toBe(403);
    expect((await stack.call('GET', '/v1/attribution/settings')).status).toBe(401);
  });
});
