import { ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SmtpSink } from '../support/smtp-sink';
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
});
