import { randomUUID } from 'node:crypto';
import { startStack, TestStack } from '../support/stack';

/** Spend imported from CSV through the API, on real PostgreSQL. */
describe('costs imported from CSV', () => {
  let stack: TestStack;
  let analyst: string;
  let sales: string;
  const tag = randomUUID().slice(0, 8);
  const names = { spring: `Spring ${tag}`, summer: `Summer ${tag}` };
  const ids: Record<string, string> = {};

  const post = (body: string, key = analyst, type = 'text/csv') =>
    fetch(`${stack.baseUrl}/v1/costs/import`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': type }, body });
  const costsOf = (campaignId: string) =>
    stack.sql<{ channel: string; day: string; amount_minor: string; currency: string }>(
      `select channel, to_char(day, 'YYYY-MM-DD') as day, amount_minor, currency from costs where campaign_id = ? order by day, channel`,
      [campaignId],
    );

  beforeAll(async () => {
    stack = await startStack();
    const marketer = await stack.key('marketer');
    analyst = await stack.key('analyst');
    sales = await stack.key('sales');
    const template = await stack.call('POST', '/v1/templates', { key: marketer, body: { name: `Costs ${tag}`, subject: 'Hi', html: '<p>Hi</p>' } });
    const flow = await stack.call('POST', '/v1/flows', {
      key: marketer,
      body: { name: `Costs ${tag}`, definition: { entry: 'hello', steps: { hello: { type: 'send_email', templateId: template.body.id } } } },
    });
    const lead = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: `costs-${tag}@example.com` } });
    for (const [key, name] of Object.entries(names)) {
      const made = await stack.call('POST', '/v1/campaigns', {
        key: marketer,
        body: { name, flowId: flow.body.id, channel: 'email', audience: { leadIds: [lead.body.id] }, currency: key === 'spring' ? 'EUR' : 'JPY' },
      });
      expect(made.status).toBe(201);
      ids[key] = made.body.id;
    }
  });

  afterAll(() => stack?.stop());

  it('writes every row, by campaign name or id, in any channel, and a second import replaces a day\'s figure', async () => {
    const csv = [
      'Campaign,Channel,Day,Amount,Currency',
      `${names.spring},paid_search,2026-05-01,120.50,EUR`,
      `${names.spring},email,2026-05-01,10,`,
      `${ids.summer},paid_social,2026-05-02,3000,JPY`,
    ].join('\n');
    const imported = await post(csv);
    expect(imported.status).toBe(200);
    expect(await imported.json()).toEqual({ rows: 3, campaigns: 2 });
    expect(await costsOf(ids.spring)).toEqual([
      { channel: 'email', day: '2026-05-01', amount_minor: '1000', currency: 'EUR' },
      { channel: 'paid_search', day: '2026-05-01', amount_minor: '12050', currency: 'EUR' },
    ]);
    expect(await costsOf(ids.summer)).toEqual([{ channel: 'paid_social', day: '2026-05-02', amount_minor: '3000', currency: 'JPY' }]);

    expect((await post(`campaign,channel,day,amount\n${names.spring},paid_search,2026-05-01,99.99`)).status).toBe(200);
    expect((await costsOf(ids.spring)).find((c) => c.channel === 'paid_search')?.amount_minor).toBe('9999');
  });

  it('refuses a file with bad rows, naming each by row and column, and writes nothing', async () => {
    const before = await costsOf(ids.spring);
    const csv = [
      'campaign,channel,day,amount,currency',
      `${names.spring},display,2026-06-01,5.00,EUR`,
      `No such campaign ${tag},display,2026-06-01,5.00,EUR`,
      `${names.spring},Paid Search,2026-02-30,5.001,USD`,
      `${names.summer},display,2026-06-01,1.5,JPY`,
      `${names.spring},display,2026-06-01,6.00,EUR`,
    ].join('\n');
    const refused = await post(csv);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await refused.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual([
      'rows[2].campaign',
      'rows[3].channel',
      'rows[3].day',
      'rows[3].currency',
      'rows[3].amount',
      'rows[4].amount',
      'rows[5].day',
    ]);
    expect(await costsOf(ids.spring)).toEqual(before);
  });

  it('refuses a file without its columns, an empty one, and keys that may not record spend', async () => {
    expect(((await (await post('campaign,day,amount\nx,2026-01-01,1')).json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: 'file' })]);
    expect((await post('')).status).toBe(400);
    expect((await post(`campaign,channel,day,amount\n${names.spring},email,2026-05-03,1`, sales)).status).toBe(403);
    expect((await post('{"rows": []}', analyst, 'application/json')).status).toBeGreaterThanOrEqual(400);
  });
});
