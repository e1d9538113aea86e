import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SmtpSink } from '../support/smtp-sink';
import { Client, Connection } from '@temporalio/client';
import { workflowIds } from '@ce/contracts';
import { eventually, startStack, TestStack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const WORKER_MAIN = join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');
const LEADS = 200;

/** The worker as its own OS process, built from this tree, on the test's database, Temporal server and SMTP sink. */
class WorkerProcess {
  private readonly child: ChildProcess;
  private readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(stack: TestStack) {
    this.child = spawn(process.execPath, [WORKER_MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: stack.config.databaseUrl,
        TEMPORAL_ADDRESS: stack.config.temporal.address,
        TRACKING_SECRET: stack.config.trackingSecret,
        PUBLIC_BASE_URL: stack.config.publicBaseUrl,
        SMTP_URL: stack.smtp!.url,
        SMTP_POOL_SIZE: '4',
        // Slow enough that the kill lands in the middle of the batch.
        EMAIL_RATE_PER_SECOND: '50',
        // The hand-off test's webhook receiver listens on this machine.
        WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 50) this.output.shift();
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** The last lines the process wrote, for a failure message. */
  get lastOutput(): string {
    return this.output.join('').split('\n').slice(-20).join('\n');
  }
}

/**
 * Invariant 1 under the harshest failure: the worker process is killed outright (SIGKILL) in
 * the middle of a batch of sends, while the mail server holds messages it has not yet
 * confirmed, and a new worker process takes over. The SMTP server's own count decides.
 */
describe('exactly-once email across a killed worker', () => {
  let stack: TestStack;
  let smtp: SmtpSink;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // The worker runs from the built tree, as it does in production (`npm start`).
    await promisify(execFile)('bash', [join(ROOT, 'scripts', 'build.sh')], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    // A slow server: the answer to each message comes 100 ms after its end, so at any moment
    // some messages are with the server but not yet confirmed to the worker.
    stack = await startStack({ smtp: { parse: false, replyDelayMs: { rcpt: 10, data: 100 } }, worker: false });
    smtp = stack.smtp!;
  }, 240_000);

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await stack?.stop();
  });

  it('delivers exactly one message to every lead when the worker is killed mid-batch', async () => {
    const key = await stack.key('marketer');
    const tag = Date.now().toString(36);
    const template = await stack.call('POST', '/v1/templates', { key, body: { name: 'Once', subject: 'Once, {{lead.firstName}}', html: '<p>Only once.</p>' } });
    expect(template.status).toBe(201);

    const emails = Array.from({ length: LEADS }, (_, i) => `lead${i}-${tag}@example.com`);
    const leadIds: string[] = [];
    for (let i = 0; i < LEADS; i += 25) {
      const made = await Promise.all(
        emails.slice(i, i + 25).map((email) => stack.call('POST', '/v1/leads', { key, body: { email, firstName: 'Reader', consent: { email: 'subscribed' } } })),
      );
      for (const lead of made) {
        expect(lead.status).toBe(201);
        leadIds.push(lead.body.id);
      }
    }
    const flow = await stack.call('POST', '/v1/flows', {
      key,
      body: { name: `once ${tag}`, definition: { entry: 'hello', steps: { hello: { type: 'send_email', templateId: template.body.id } } } },
    });
    expect(flow.status).toBe(201);
    const campaign = await stack.call('POST', '/v1/campaigns', {
      key,
      body: { name: `once ${tag}`, flowId: flow.body.id, channel: 'email', audience: { leadIds } },
    });
    expect(campaign.status).toBe(201);

    const first = new WorkerProcess(stack);
    workers.push(first);
    expect((await stack.call('POST', `/v1/campaigns/${campaign.body.id}/launch`, { key })).status).toBe(202);

    // Kill when about a third has arrived and the server holds at least one message whose
    // answer has not gone back yet: a message the worker cannot know was delivered.
    await eventually(
      async () => {
        await new Promise((r) => setTimeout(r, 5));
        const unconfirmed = smtp.receptions.filter((r) => !r.answered).length;
        if (smtp.receptions.length < LEADS / 3 || unconfirmed === 0) return undefined;
        first.kill('SIGKILL');
        return unconfirmed;
      },
      120_000,
      `a third of the messages (the first worker said:\n${first.lastOutput})`,
    );
    const receivedAtKill = smtp.receptions.length;
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(receivedAtKill).toBeLessThan(LEADS);

    const second = new WorkerProcess(stack);
    workers.push(second);
    // Sends the first worker was running are retried once their heartbeat times out (30 seconds).
    await eventually(
      async () => {
        const [row] = await stack.sql<{ ended: number }>(
          "select count(*)::int as ended from enrollments where campaign_id = ? and status <> 'active'",
          [campaign.body.id],
        );
        return row.ended === LEADS ? row : undefined;
      },
      300_000,
      `every enrollment to end (the second worker said:\n${second.lastOutput})`,
    );
    // Shut down as an operator would; both of the process's workers stop cleanly.
    second.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });

    const received = new Map<string, number>();
    for (const reception of smtp.receptions) for (const to of reception.to) received.set(to, (received.get(to) ?? 0) + 1);
    const perLead = emails.map((email) => [email, received.get(email) ?? 0]);
    expect(perLead.filter(([, count]) => count !== 1)).toEqual([]);

    const ledger = await stack.sql<{ status: string; rows: number; leads: number }>(
      'select status, count(*)::int as rows, count(distinct lead_id)::int as leads from messages where campaign_id = ? group by status',
      [campaign.body.id],
    );
    for (const row of ledger) expect(['sent', 'handed_over']).toContain(row.status);
    expect(ledger.reduce((sum, row) => sum + row.rows, 0)).toBe(LEADS);
    expect(ledger.reduce((sum, row) => sum + row.leads, 0)).toBe(LEADS);
    const enrollments = await stack.sql<{ status: string }>('select distinct status from enrollments where campaign_id = ?', [campaign.body.id]);
    expect(enrollments).toEqual([{ status: 'completed' }]);
  }, 480_000);

  it('hands a new MQL to its owner once, by one email and one webhook, when the worker is killed mid-send', async () => {
    const tag = Date.now().toString(36);
    // A webhook receiver that counts deliveries by their id.
    const deliveries: string[] = [];
    const receiver: Server = createServer((request, response) => {
      deliveries.push(String(request.headers['x-campaign-engine-delivery']));
      request.resume();
      request.on('end', () => response.writeHead(200).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const rep = await stack.salesRep(`Once ${tag}`);
    const [{ email: repEmail }] = await stack.sql<{ email: string }>('select email from sales_reps where id = ?', [rep.repId]);
    // Only this rep is active, so the lead goes to it.
    const paused = await stack.sql<{ id: string }>('update sales_reps set active = false where id <> ? and active returning id', [rep.repId]);
    await stack.sql('update routing_settings set webhook_url = ?', [`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/handoffs`]);
    const temporal = await Connection.connect({ address: stack.config.temporal.address });
    try {
      const marketer = await stack.key('marketer');
      const made = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: `handoff-${tag}@example.com`, firstName: 'Grace', company: 'Navy' } });
      expect(made.status).toBe(201);
      const leadId = made.body.id as string;

      smtp.refuse(repEmail, { at: 'data', reply: 'hang_up', times: 1 });
      const first = new WorkerProcess(stack);
      workers.push(first);
      // Made an MQL by hand: the timeline's trigger makes the hand-off, the worker starts it.
      expect((await stack.call('PATCH', `/v1/leads/${leadId}`, { key: marketer, body: { lifecycleStage: 'mql' } })).status).toBe(200);
      // The mail server takes the owner's email whole, then hangs up without answering: the
      // worker cannot know it was delivered. It is killed there.
      await eventually(
        async () => {
          await new Promise((r) => setTimeout(r, 5));
          if (!smtp.receptions.some((r) => r.to.includes(repEmail))) return undefined;
          first.kill('SIGKILL');
          return true;
        },
        120_000,
        `the owner's email (the first worker said:\n${first.lastOutput})`,
      );
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const second = new WorkerProcess(stack);
      workers.push(second);
      // The notification is retried once its time is up (30 seconds); the webhook follows.
      await eventually(async () => (deliveries.length > 0 ? true : undefined), 120_000, `the webhook (the second worker said:\n${second.lastOutput})`);
      const [handoff] = await stack.sql<{ id: string; status: string; rep_id: string }>('select id, status, rep_id from handoffs where lead_id = ?', [leadId]);
      expect(handoff).toMatchObject({ status: 'assigned', rep_id: rep.repId });

      const accepted = await stack.call('POST', `/v1/sales/leads/${leadId}/accept`, { key: rep.key });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ leadId, lifecycleStage: 'sql', handoff: { id: handoff.id, status: 'accepted', repId: rep.repId } });
      const result = await new Client({ connection: temporal }).workflow.getHandle(workflowIds.handoff(handoff.id)).result();
      expect(result).toEqual({ outcome: 'decided', owners: [rep.repId] });
      second.kill('SIGTERM');
      await second.exited;

      expect(smtp.receptions.filter((r) => r.to.includes(repEmail))).toHaveLength(1);
      expect(new Set(deliveries).size).toBe(1);
      const notices = await stack.sql<{ channel: string; status: string }>('select channel, status from handoff_notices where handoff_id = ? order by channel', [handoff.id]);
      expect(notices).toEqual([
        { channel: 'email', status: 'handed_over' },
        { channel: 'webhook', status: 'sent' },
      ]);
      const [lead] = await stack.sql<{ owner_id: string; lifecycle_stage: string }>('select owner_id, lifecycle_stage from leads where id = ?', [leadId]);
      expect(lead).toEqual({ owner_id: rep.repId, lifecycle_stage: 'sql' });
    } finally {
      await stack.sql('update routing_settings set webhook_url = null');
      await stack.sql('update sales_reps set active = true where id = any(?::uuid[])', [`{${paused.map((p) => p.id).join(',')}}`]);
      await stack.sql('delete from sales_reps where id = ?', [rep.repId]);
      receiver.close();
      await temporal.close();
    }
  }, 300_000);
});
