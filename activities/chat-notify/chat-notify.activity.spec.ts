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
import { verifyWebhookSignature } from '../webhook/webhook-signature';
import { createChatNotifyActivities } from './chat-notify.activity';

const SECRET = 'a-webhook-secret-of-at-least-32-characters';

/** A chat server's incoming webhook: keeps every request, answers with the statuses it is given, then 200. */
interface ChatServer {
  url: string;
  requests: { headers: IncomingHttpHeaders; body: string }[];
  answers: number[];
  close(): Promise<void>;
}

async function startChatServer(): Promise<ChatServer> {
  const chat = { requests: [], answers: [] } as unknown as ChatServer;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      chat.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(chat.answers.shift() ?? 200, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  chat.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/XXXX`;
  chat.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return chat;
}

/** The chat_notify activity on real PostgreSQL, posting to a real HTTP server. */
describe('notifyChat', () => {
  let orm: MikroORM;
  let chat: ChatServer;
  let notifyChat: ReturnType<typeof createChatNotifyActivities>['notifyChat'];
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);
  const run = (input: ActionInput, attempt = 1): Promise<ActionResult> =>
    new MockActivityEnvironment({ attempt }, { logger: new DefaultLogger('ERROR') }).run(notifyChat, input);
  const failureOf = (input: ActionInput, attempt = 1) => run(input, attempt).then(() => null, (error: unknown) => error);
  const ledger = (input: ActionInput) => sql('select step_type, outcome from step_runs where enrollment_id = ?', [input.enrollmentId]);
  const texts = () => chat.requests.map((r) => (JSON.parse(r.body) as { text: string }).text);

  /** A running campaign with one lead enrolled, about to post `text`. */
  async function enrol(text: string, lead: { firstName?: string; lastName?: string; company?: string } = {}): Promise<ActionInput> {
    const em = orm.em.fork();
    const step = { type: 'chat_notify', url: chat.url, text };
    const flow = em.create(Flow, { name: 'Tell the team' });
    const version = em.create(FlowVersion, { flow, version: 1, definition: { entry: 'tell', steps: { tell: step } } });
    const campaign = em.create(Campaign, { name: 'Webinar follow-up', flow, flowVersion: version, channel: 'email', status: 'running', audience: {}, currency: 'EUR' });
    const person = em.create(Lead, { email: `${randomUUID()}@example.com`, firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines', score: 55, ...lead });
    const enrollment = em.create(Enrollment, { campaign, lead: person, flowVersion: version, workflowId: `test-${randomUUID()}` });
    await em.flush();
    return { campaignId: campaign.id, enrollmentId: enrollment.id, leadId: person.id, stepId: 'tell', step };
  }

  beforeAll(async () => {
    orm = await openTestDatabase();
    chat = await startChatServer();
    ({ notifyChat } = createChatNotifyActivities({ orm, config: { webhookSecret: SECRET, webhookAllowPrivateAddresses: true }, logger: pino({ level: 'silent' }) }));
  });
  beforeEach(() => {
    chat.requests.splice(0);
    chat.answers.splice(0);
  });
  afterAll(async () => {
    await orm?.close(true);
    await chat?.close();
  });

  it('posts {"text": …} rendered for the lead, signed, and records the post', async () => {
    const input = await enrol('New MQL {{lead.firstName}} {{lead.lastName}} ({{lead.company}}, score {{lead.score}}) from {{campaign.name}}');
    await expect(run(input)).resolves.toEqual({ outcome: 'posted' });

    expect(chat.requests).toHaveLength(1);
    const [{ headers, body }] = chat.requests;
    expect(JSON.parse(body)).toEqual({ text: 'New MQL Ada Lovelace (Analytical Engines, score 55) from Webinar follow-up' });
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-campaign-engine-delivery']).toBe(`${input.enrollmentId}:tell`);
    expect(verifyWebhookSignature(SECRET, body, headers['x-campaign-engine-signature'] as string)).toBe(true);
    expect(await ledger(input)).toEqual([{ step_type: 'chat_notify', outcome: { outcome: 'posted', status: 200 } }]);
  });

  it('shows a lead\'s <!channel> as text instead of notifying the whole channel', async () => {
    const input = await enrol('New lead: {{lead.firstName}}', { firstName: '<!channel> & co' });
    await run(input);
    expect(texts()).toEqual(['New lead: &lt;!channel&gt; &amp; co']);
  });

  it('does not post again once posted', async () => {
    const input = await enrol('Hi {{lead.firstName}}');
    await run(input);
    await expect(run(input, 2)).resolves.toEqual({ outcome: 'already_done' });
    expect(chat.requests).toHaveLength(1);
  });

  it('asks for a retry when the chat server fails, and posts on the next attempt', async () => {
    const input = await enrol('Hi {{lead.firstName}}');
    chat.answers.push(500);
    const failure = await failureOf(input, 1);
    expect(failure).toMatchObject({ message: expect.stringContaining('HTTP 500') });
    expect(failure).toMatchObject({ type: 'DeliveryDeferred', nonRetryable: false });
    expect(await ledger(input)).toEqual([]);

    await expect(run(input, 2)).resolves.toEqual({ outcome: 'posted' });
    expect(texts()).toEqual(['Hi Ada', 'Hi Ada']);
  });

  it('gives up for good at the eighth attempt', async () => {
    const input = await enrol('Hi {{lead.firstName}}');
    chat.answers.push(503);
    expect(await failureOf(input, 8)).toMatchObject({ type: 'ChatFailed', nonRetryable: true });
  });

  it('stops for good when the chat server refuses the message', async () => {
    const input = await enrol('Hi {{lead.firstName}}');
    chat.answers.push(400);
    const failure = await failureOf(input);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ChatRejected', nonRetryable: true });
    // The URL's path is the channel's secret: it stays out of the failure.
    expect((failure as Error).message).not.toContain('XXXX');
    expect(await ledger(input)).toEqual([]);
  });

  it('fails for good, posting nothing, when the text cannot be rendered', async () => {
    const input = await enrol('{{#if lead.firstName}}Hi');
    expect(await failureOf(input)).toMatchObject({ type: 'TemplateInvalid', nonRetryable: true });
    expect(chat.requests).toHaveLength(0);
  });

  it('posts nothing once the campaign has completed', async () => {
    const input = await enrol('Hi {{lead.firstName}}');
    await sql(`update campaigns set status = 'completed' where id = ?`, [input.campaignId]);
    expect(await failureOf(input)).toMatchObject({ type: 'CampaignEnded', nonRetryable: true });
    expect(chat.requests).toHaveLength(0);
  });
});
