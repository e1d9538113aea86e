import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import pino from 'pino';
import type { ActionInput, ActionResult } from '@ce/contracts';
import { Campaign, Enrollment, Flow, FlowVersion, Lead } from '@ce/db';
import { openTestDatabase } from '../../tests/support/db';
import { createWebhookActivities } from './webhook.activity';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature';

const SECRET = 'a-webhook-secret-of-at-least-32-characters';

/** A real HTTP receiver that keeps every request and answers with the statuses (and headers) it is given, then 200. */
interface Receiver {
  url: string;
  requests: { headers: IncomingHttpHeaders; body: string }[];
  answers: (number | { status: number; headers: Record<string, string> })[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver = { requests: [], answers: [] } as unknown as Receiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receiver.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = receiver.answers.shift() ?? 200;
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      res.writeHead(status, { 'Content-Type': 'text/plain', ...headers }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/ce?token=s3cret`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}

/** The webhook activity on real PostgreSQL, POSTing to a real HTTP server. */
describe('deliverWebhook', () => {
  let orm: MikroORM;
  let receiver: Receiver;
  let deliverWebhook: ReturnType<typeof createWebhookActivities>['deliverWebhook'];
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);
  const run = (input: ActionInput, attempt = 1, activity = deliverWebhook): Promise<ActionResult> =>
    new MockActivityEnvironment({ attempt }, { logger: new DefaultLogger('ERROR') }).run(activity, input);
  const failureOf = (input: ActionInput, attempt = 1) => run(input, attempt).then(() => null, (error: unknown) => error);
  const ledger = (input: ActionInput) => sql('select step_type, outcome from step_runs where enrollment_id = ?', [input.enrollmentId]);

  /** A running campaign with Ada enrolled, about to run a webhook step. */
  async function enrol(settings: Record<string, unknown> = {}): Promise<ActionInput> {
    const em = orm.em.fork();
    const step = { type: 'webhook', url: receiver.url, ...settings };
    const flow = em.create(Flow, { name: 'To the CRM' });
    const version = em.create(FlowVersion, { flow, version: 1, definition: { entry: 'crm', steps: { crm: step } } });
    const campaign = em.create(Campaign, { name: 'Inbound', flow, flowVersion: version, channel: 'email', status: 'running', audience: {}, currency: 'EUR' });
    const lead = em.create(Lead, {
      email: `ada-${randomUUID()}@example.com`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      lifecycleStage: 'mql',
      score: 30,
      attributes: { plan: 'pro' },
    });
    const enrollment = em.create(Enrollment, { campaign, lead, flowVersion: version, workflowId: `test-${randomUUID()}` });
    await em.flush();
    return { campaignId: campaign.id, enrollmentId: enrollment.id, leadId: lead.id, stepId: 'crm', step };
  }

  beforeAll(async () => {
    orm = await openTestDatabase();
    receiver = await startReceiver();
    ({ deliverWebhook } = createWebhookActivities({ orm, config: { webhookSecret: SECRET, webhookAllowPrivateAddresses: true }, logger: pino({ level: 'silent' }) }));
  });
  beforeEach(() => {
    receiver.requests.splice(0);
    receiver.answers.splice(0);
  });
  afterAll(async () => {
    await orm?.close(true);
    await receiver?.close();
  });

  it('POSTs the lead as signed JSON and records the delivery', async () => {
    const input = await enrol({ data: { pipeline: 'inbound' } });
    await expect(run(input)).resolves.toEqual({ outcome: 'delivered' });

    expect(receiver.requests).toHaveLength(1);
    const [{ headers, body }] = receiver.requests;
    const deliveryId = `${input.enrollmentId}:crm`;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-campaign-engine-delivery']).toBe(deliveryId);
    expect(verifyWebhookSignature(SECRET, body, headers['x-campaign-engine-signature'] as string)).toBe(true);
    expect(verifyWebhookSignature('another-secret-of-at-least-32-characters', body, headers['x-campaign-engine-signature'] as string)).toBe(false);
    expect(JSON.parse(body)).toEqual({
      deliveryId,
      campaignId: input.campaignId,
      stepId: 'crm',
      lead: {
        id: input.leadId,
        email: expect.stringMatching(/^ada-.*@example\.com$/),
        firstName: 'Ada',
        lastName: 'Lovelace',
        company: 'Analytical Engines',
        lifecycleStage: 'mql',
        score: 30,
        attributes: { plan: 'pro' },
      },
      data: { pipeline: 'inbound' },
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await ledger(input)).toEqual([{ step_type: 'webhook', outcome: { outcome: 'delivered', status: 200 } }]);
  });

  it('does not POST again once delivered', async () => {
    const input = await enrol();
    await run(input);
    await expect(run(input, 2)).resolves.toEqual({ outcome: 'already_done' });
    expect(receiver.requests).toHaveLength(1);
  });

  it('asks for a retry when the receiver fails, and delivers on the next attempt', async () => {
    const input = await enrol();
    receiver.answers.push(500);
    const failure = await failureOf(input, 1);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'DeliveryDeferred', nonRetryable: false, message: expect.stringContaining('HTTP 500') });
    expect(await ledger(input)).toEqual([]);

    await expect(run(input, 2)).resolves.toEqual({ outcome: 'delivered' });
    expect(receiver.requests.map((r) => r.headers['x-campaign-engine-delivery'])).toEqual([`${input.enrollmentId}:crm`, `${input.enrollmentId}:crm`]);
  });

  it.each([408, 429, 503])('retries an answer of %i', async (status) => {
    const input = await enrol();
    receiver.answers.push(status);
    expect(await failureOf(input)).toMatchObject({ type: 'DeliveryDeferred', nonRetryable: false });
  });

  it('waits as long as the receiver\'s Retry-After asks, in seconds or as a date, at most an hour', async () => {
    const input = await enrol();
    receiver.answers.push({ status: 429, headers: { 'Retry-After': '120' } });
    expect(await failureOf(input)).toMatchObject({ type: 'DeliveryDeferred', nextRetryDelay: 120_000 });

    receiver.answers.push({ status: 503, headers: { 'Retry-After': new Date(Date.now() + 3 * 3_600_000).toUTCString() } });
    expect(await failureOf(input)).toMatchObject({ nextRetryDelay: 3_600_000 });

    receiver.answers.push({ status: 503, headers: { 'Retry-After': 'soon' } });
    expect(((await failureOf(input)) as ApplicationFailure).nextRetryDelay).toBeUndefined();
  });

  it('counts the tries the workflow has made for the lead toward the limit', async () => {
    const input = await enrol();
    receiver.answers.push(502);
    // The workflow tries a lead again itself, so each try is a first activity attempt.
    const failure = await failureOf({ ...input, attempt: 8 }, 1);
    expect(failure).toMatchObject({ type: 'WebhookFailed', nonRetryable: true, message: expect.stringContaining('after 8 attempts') });
  });

  it('retries when the receiver cannot be reached', async () => {
    const input = await enrol({ url: 'http://127.0.0.1:1/hooks' });
    expect(await failureOf(input)).toMatchObject({ message: expect.stringContaining('could not be reached') });
  });

  it('gives up for good at the eighth attempt', async () => {
    const input = await enrol();
    receiver.answers.push(502);
    const failure = await failureOf(input, 8);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'WebhookFailed', nonRetryable: true, message: expect.stringContaining('after 8 attempts') });
  });

  it('stops for good when the receiver refuses the request', async () => {
    const input = await enrol();
    receiver.answers.push(400);
    const failure = await failureOf(input);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'WebhookRejected', nonRetryable: true, message: expect.stringContaining('HTTP 400') });
    // The URL (which can hold a token) stays out of the failure, which Temporal keeps in history.
    expect((failure as Error).message).not.toContain('s3cret');
    expect(await ledger(input)).toEqual([]);
  });

  it('refuses, without sending anything, a receiver on a private or loopback address unless private addresses are allowed', async () => {
    const strict = createWebhookActivities({ orm, config: { webhookSecret: SECRET, webhookAllowPrivateAddresses: false }, logger: pino({ level: 'silent' }) });
    const port = new URL(receiver.url).port;
    for (const url of [receiver.url, `http://localhost:${port}/hooks`, `http://[::1]:${port}/hooks`, 'http://169.254.169.254/latest/meta-data']) {
      const input = await enrol({ url });
      const failure = await run(input, 1, strict.deliverWebhook).then(() => null, (error: unknown) => error);
      expect(failure).toMatchObject({ type: 'WebhookRejected', nonRetryable: true, message: expect.stringContaining('private or reserved') });
    }
    expect(receiver.requests).toEqual([]);
  });

  it('POSTs nothing while the campaign is paused', async () => {
    const input = await enrol();
    await sql(`update campaigns set status = 'paused' where id = ?`, [input.campaignId]);
    expect(await failureOf(input)).toMatchObject({ type: 'CampaignPaused', nonRetryable: true });
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('webhook signatures', () => {
  const body = '{"deliveryId":"x"}';
  const now = Date.UTC(2027, 0, 1);
  const t = Math.floor(now / 1000);

  it('verify a body signed with the same secret within five minutes', () => {
    expect(verifyWebhookSignature(SECRET, body, signWebhookBody(SECRET, body, t), { now })).toBe(true);
    expect(verifyWebhookSignature(SECRET, body, signWebhookBody(SECRET, body, t - 299), { now })).toBe(true);
  });

  it('refuse a changed body, an old timestamp and malformed headers', () => {
    expect(verifyWebhookSignature(SECRET, `${body} `, signWebhookBody(SECRET, body, t), { now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, body, signWebhookBody(SECRET, body, t - 301), { now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, body, undefined, { now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, body, `t=${t}`, { now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, body, `t=${t},v1=zz`, { now })).toBe(false);
  });

  it('accept any of several v1 signatures, for changing the secret', () => {
    const old = signWebhookBody('the-old-secret-of-at-least-32-characters', body, t);
    const header = `${old},v1=${signWebhookBody(SECRET, body, t).split('v1=')[1]}`;
    expect(verifyWebhookSignature(SECRET, body, header, { now })).toBe(true);
  });
});
