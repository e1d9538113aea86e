import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DELIVERY_HEADER, SIGNATURE_HEADER, verifyWebhookSignature } from '@activities/webhook/webhook-signature';
import type { SmtpSink } from '../support/smtp-sink';
import { eventually, startStack, TestStack } from '../support/stack';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver for webhook and chat steps that keeps every request it gets. */
async function startReceiver(): Promise<{ url: string; requests: Received[]; close(): Promise<void> }> {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Every step type in one flow, run by the real worker on real PostgreSQL, Temporal, SMTP and
 * HTTP: what each lead ends up with is what a marketer would see.
 */
describe('every step type, end to end', () => {
  let stack: TestStack;
  let smtp: SmtpSink;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let key: string;
  const tag = `s${Date.now().toString(36)}`;

  beforeAll(async () => {
    stack = await startStack({ smtp: true });
    smtp = stack.smtp!;
    receiver = await startReceiver();
    key = await stack.key('marketer');
  });

  afterAll(async () => {
    await receiver?.close();
    await stack?.stop();
  });

  it('walks a lead through actions, branches, splits, waits and exits', async () => {
    const plan = `plan_${tag}`;
    expect((await stack.call('POST', '/v1/attribute-definitions', { key, body: { name: plan, type: 'string' } })).status).toBe(201);
    const template = await stack.call('POST', '/v1/templates', {
      key,
      body: { name: 'offer', subject: 'An offer for {{lead.firstName}}', html: '<p>Hi {{lead.firstName}}, <a href="https://example.com/offer">see the offer</a></p>' },
    });
    const german = await stack.call('POST', '/v1/leads', {
      key,
      body: { email: `de-${tag}@example.com`, firstName: 'Greta', country: 'DE', consent: { email: 'subscribed' } },
    });
    const american = await stack.call('POST', '/v1/leads', {
      key,
      body: { email: `us-${tag}@example.com`, firstName: 'Sam', country: 'US', consent: { email: 'subscribed' } },
    });
    const definition = {
      entry: 'tag',
      steps: {
        tag: { type: 'update_lead', set: { attributes: { [plan]: 'pro' }, lifecycleStage: 'mql' }, addTags: ['nurtured'], next: 'score' },
        score: { type: 'adjust_score', points: 15, reason: 'joined the nurture', next: 'route' },
        route: { type: 'branch', branches: [{ when: { lead: { field: 'country', op: 'eq', value: 'DE' } }, next: 'hook' }], otherwise: 'chat' },
        hook: { type: 'webhook', url: `${receiver.url}/hook`, data: { source: 'e2e' }, next: 'ab' },
        chat: { type: 'chat_notify', url: `${receiver.url}/chat`, text: 'New lead {{lead.firstName}}', next: 'ab' },
        ab: { type: 'split', variants: [{ percent: 50, next: 'mailA' }, { percent: 50, next: 'mailB' }] },
        mailA: { type: 'send_email', templateId: template.body.id, next: 'watch' },
        mailB: { type: 'send_email', templateId: template.body.id, next: 'watch' },
        watch: { type: 'wait_for_event', event: 'clicked', timeout: '4s', next: 'sales', timeoutNext: 'window' },
        sales: { type: 'notify_sales', to: [`sales-${tag}@example.com`], message: 'Hot lead {{lead.firstName}}', next: 'done' },
        window: { type: 'wait_until', window: { from: '00:00', to: '23:59' }, timeZone: 'campaign', next: 'done' },
        done: { type: 'exit', reason: 'nurtured' },
      },
    };
    const flow = await stack.call('POST', '/v1/flows', { key, body: { name: `all steps ${tag}`, definition } });
    expect(flow.status).toBe(201);
    const campaign = await stack.call('POST', '/v1/campaigns', {
      key,
      body: { name: `all steps ${tag}`, flowId: flow.body.id, channel: 'email', audience: { leadIds: [german.body.id, american.body.id] } },
    });
    expect((await stack.call('POST', `/v1/campaigns/${campaign.body.id}/launch`, { key })).status).toBe(202);

    // The German lead clicks the offer; the American one does not.
    const offerFor = (email: string) => smtp.messages.find((m) => JSON.stringify(m.to).includes(email) && m.subject?.startsWith('An offer'));
    const offer = await eventually(async () => offerFor(german.body.email), 60_000, 'the offer email');
    const link = /href="([^"]+\/t\/c\/[^"]+)"/.exec(String(offer.html))?.[1];
    expect(link).toBeDefined();
    const click = await fetch(link!.replace(/&amp;/g, '&'), { redirect: 'manual' });
    expect(click.status).toBe(302);

    const ended = await eventually(async () => {
      const rows = await stack.sql<{ lead_id: string; status: string; end_reason: string }>(
        'select lead_id, status, end_reason from enrollments where campaign_id = ?',
        [campaign.body.id],
      );
      return rows.length === 2 && rows.every((r) => r.status !== 'active') ? rows : undefined;
    }, 60_000, 'both journeys to end');
    expect(ended.map((r) => r.end_reason)).toEqual(['nurtured', 'nurtured']);

    // update_lead and adjust_score changed both leads once.
    for (const lead of [german.body, american.body]) {
      const now = (await stack.call('GET', `/v1/leads/${lead.id}`, { key })).body;
      expect(now).toMatchObject({ lifecycleStage: 'mql', score: 15, attributes: { [plan]: 'pro' } });
      const [row] = await stack.sql<{ tags: string[] }>('select tags from leads where id = ?', [lead.id]);
      expect(row.tags).toEqual(['nurtured']);
    }

    // The branch sent the German lead to the webhook and the American one to chat, each signed.
    const secret = stack.config.webhookSecret;
    const hooks = receiver.requests.filter((r) => r.path === '/hook');
    const chats = receiver.requests.filter((r) => r.path === '/chat');
    expect(hooks).toHaveLength(1);
    expect(chats).toHaveLength(1);
    expect(JSON.parse(hooks[0].body)).toMatchObject({ lead: { id: german.body.id }, data: { source: 'e2e' } });
    expect(JSON.parse(chats[0].body)).toEqual({ text: 'New lead Sam' });
    for (const request of [...hooks, ...chats]) {
      expect(verifyWebhookSignature(secret, request.body, request.headers[SIGNATURE_HEADER.toLowerCase()] as string)).toBe(true);
      expect(request.headers[DELIVERY_HEADER.toLowerCase()]).toMatch(/^[0-9a-f-]{36}:(hook|chat)$/);
    }

    // Each lead got one offer (from variant A or B); only the clicker's owner heard from sales.
    expect(smtp.messages.filter((m) => m.subject?.startsWith('An offer')).length).toBe(2);
    const notes = smtp.messages.filter((m) => JSON.stringify(m.to).includes(`sales-${tag}@example.com`));
    expect(notes).toHaveLength(1);
    expect(String(notes[0].text)).toContain('Hot lead Greta');

    // The paths show which way each lead went.
    const pathOf = async (leadId: string) =>
      (await stack.call('GET', `/v1/campaigns/${campaign.body.id}/enrollments/${leadId}`, { key })).body.path.map((p: { stepId: string }) => p.stepId);
    const germanPath = await pathOf(german.body.id);
    const americanPath = await pathOf(american.body.id);
    expect(germanPath.filter((s: string) => !['mailA', 'mailB'].includes(s))).toEqual(['tag', 'score', 'route', 'hook', 'ab', 'watch', 'sales', 'done']);
    expect(americanPath.filter((s: string) => !['mailA', 'mailB'].includes(s))).toEqual(['tag', 'score', 'route', 'chat', 'ab', 'watch', 'window', 'done']);
    expect(germanPath.filter((s: string) => ['mailA', 'mailB'].includes(s))).toHaveLength(1);
  });
});
