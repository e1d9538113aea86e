import { startStack, TestStack } from '../support/stack';

/** Bad input gets a 4xx problem+json that names each bad field by path; never a 5xx. */
describe('problem+json for bad input', () => {
  let stack: TestStack;
  let key: string;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    key = await stack.key('marketer');
  });

  afterAll(() => stack?.stop());

  const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path).sort();

  it('lists every invalid and unknown field of a body', async () => {
    const response = await stack.call('POST', '/v1/leads', { key, body: { email: 'not-an-email', firstName: 7, plan: 'pro' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ type: '/problems/input-invalid', status: 400, code: 'INPUT_INVALID', instance: '/v1/leads' });
    expect(paths(response.body)).toEqual(expect.arrayContaining(['email', 'firstName', 'plan']));
    expect(response.body.errors.find((e: { path: string }) => e.path === 'plan').message).toBe('is not a known field');
  });

  it('names nested fields with their full path', async () => {
    const response = await stack.call('POST', '/v1/campaigns', {
      key,
      body: { name: 'x', flowId: 'nope', channel: 'fax', audience: { leadIds: [] }, cost: { amount: '-5' } },
    });
    expect(response.status).toBe(400);
    expect(paths(response.body)).toEqual(expect.arrayContaining(['audience.leadIds', 'channel', 'cost.amount', 'flowId']));
  });

  it('points at the audience entry that names no lead', async () => {
    const template = await stack.call('POST', '/v1/templates', { key, body: { name: 't', subject: 's', html: '<p>x</p>' } });
    const flow = await stack.call('POST', '/v1/flows', {
      key,
      body: { name: 'f', definition: { entry: 'a', steps: { a: { type: 'send_email', templateId: template.body.id } } } },
    });
    const lead = await stack.call('POST', '/v1/leads', { key, body: { email: `real-${Date.now()}@example.com` } });
    const response = await stack.call('POST', '/v1/campaigns', {
      key,
      body: { name: 'c', flowId: flow.body.id, channel: 'email', audience: { leadIds: [lead.body.id, '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21'] } },
    });
    expect(response.status).toBe(400);
    expect(paths(response.body)).toEqual(['audience.leadIds[1]']);
  });

  it('rejects a flow with a dangling step, a missing template and a bad wait as 422 listing each', async () => {
    const response = await stack.call('POST', '/v1/flows', {
      key,
      body: {
        name: 'broken',
        definition: {
          entry: 'start',
          steps: {
            start: { type: 'send_email', templateId: '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21', next: 'pause' },
            pause: { type: 'wait', duration: 'soon', next: 'nowhere' },
          },
        },
      },
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('FLOW_INVALID');
    expect(paths(response.body)).toEqual([
      'definition.steps.pause.duration',
      'definition.steps.pause.next',
      'definition.steps.start.templateId',
    ]);
  });

  it('rejects a template that does not compile as 422 naming the part', async () => {
    const response = await stack.call('POST', '/v1/templates', { key, body: { name: 't', subject: 'Hi', html: '<p>{{#if lead.firstName}}open</p>' } });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('TEMPLATE_INVALID');
    expect(paths(response.body)).toEqual(['html']);
  });

  it('refuses a second lead with the same email, whatever its case, as 409 naming the field', async () => {
    const email = `dup-${Date.now()}@example.com`;
    expect((await stack.call('POST', '/v1/leads', { key, body: { email } })).status).toBe(201);
    const again = await stack.call('POST', '/v1/leads', { key, body: { email: `  ${email.toUpperCase()} ` } });
    expect(again.status).toBe(409);
    expect(paths(again.body)).toEqual(['email']);
  });

  it('answers malformed JSON, a bad id, an unknown id and an oversized body with 4xx problems', async () => {
    const malformed = await fetch(`${stack.baseUrl}/v1/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{"email": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');

    const badId = await stack.call('GET', '/v1/leads/12', { key });
    expect(badId.status).toBe(400);
    expect(paths(badId.body)).toEqual(['id']);

    const unknown = await stack.call('GET', '/v1/leads/0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21', { key });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');

    const huge = await stack.call('POST', '/v1/templates', { key, body: { name: 'big', subject: 's', html: 'x'.repeat(11 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('rejects money with more decimals than the currency has, and unknown currencies', async () => {
    const lead = await stack.call('POST', '/v1/leads', { key, body: { email: `money-${Date.now()}@example.com` } });
    const tooPrecise = await stack.call('POST', '/v1/conversions', { key, body: { leadId: lead.body.id, value: '1.234', currency: 'USD' } });
    expect(tooPrecise.status).toBe(400);
    expect(paths(tooPrecise.body)).toEqual(['value']);
    const yen = await stack.call('POST', '/v1/conversions', { key, body: { leadId: lead.body.id, value: '1.5', currency: 'JPY' } });
    expect(paths(yen.body)).toEqual(['value']);
    const currency = await stack.call('POST', '/v1/conversions', { key, body: { leadId: lead.body.id, value: '1.00', currency: 'usd' } });
    expect(paths(currency.body)).toEqual(['currency']);
  });
});
