import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import pino from 'pino';
import type { ActionBatchInput, ActionInput, ActionResult, MemberOutcome } from '@ce/contracts';
import { Campaign, CampaignStatus, Enrollment, Flow, FlowVersion, Lead, LeadConsent, Template } from '@ce/db';
import { createMailTransport, MailTransport } from '@ce/mail';
import { openTestDatabase } from '../../tests/support/db';
import { SmtpSink, startSmtpSink } from '../../tests/support/smtp-sink';
import { createSendEmailActivities } from './send-email.activity';

/** The send_email activity on real PostgreSQL, sending through a pooled transport to a real SMTP server. */
const config = { mailFrom: 'Campaign Engine <campaigns@example.com>', publicBaseUrl: 'http://localhost:3000', trackingSecret: 'x'.repeat(32), emailRatePerSecond: 1_000, smtpPoolSize: 2 };

describe('sendEmail', () => {
  let orm: MikroORM;
  let smtp: SmtpSink;
  let mailer: MailTransport;
  let sendEmail: ReturnType<typeof createSendEmailActivities>['sendEmail'];
  let sendEmails: ReturnType<typeof createSendEmailActivities>['sendEmails'];
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);
  const run = (input: ActionInput, send = sendEmail): Promise<ActionResult> =>
    new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }).run(send, input);
  const failureOf = (input: ActionInput) => run(input).then(() => null, (error: unknown) => error);
  /** Messages the server received for the address, counted as they came (no dedup), and how it answered each. */
  const answersTo = (address: string) => smtp.receptions.filter((r) => r.to.includes(address)).map((r) => r.answer);
  const ledger = (input: ActionInput) =>
    sql<{ status: string; not_before: string | null; provider_message_id: string | null }>(
      'select status, not_before, provider_message_id from messages where idempotency_key = ?',
      [`${input.enrollmentId}:${input.stepId}`],
    );

  /** A campaign with one subscribed lead enrolled, about to send the welcome template. */
  async function enrol(options: { status?: CampaignStatus; perMinute?: number; campaign?: Campaign; stepId?: string } = {}): Promise<ActionInput & { email: string }> {
    const em = orm.em.fork();
    const template = em.create(Template, { name: 'Welcome', subject: 'Hello {{lead.firstName}}', html: '<p>Hi {{lead.firstName}}, <a href="https://example.com/start">start</a></p>' });
    const flowStep = { type: 'send_email', templateId: template.id };
    let campaign = options.campaign ? em.getReference(Campaign, options.campaign.id) : null;
    let version: FlowVersion;
    if (campaign) {
      version = em.getReference(FlowVersion, (await em.findOneOrFail(Campaign, campaign.id)).flowVersion!.id);
    } else {
      const flow = em.create(Flow, { name: 'Welcome' });
      version = em.create(FlowVersion, { flow, version: 1, definition: { entry: 'welcome', steps: { welcome: flowStep } } });
      campaign = em.create(Campaign, {
        name: 'Welcome',
        flow,
        flowVersion: version,
        channel: 'email',
        status: options.status ?? 'running',
        audience: {},
        currency: 'EUR',
        sendRatePerMinute: options.perMinute ?? null,
      });
    }
    const email = `ada-${randomUUID()}@example.com`;
    const lead = em.create(Lead, { email, firstName: 'Ada' });
    em.create(LeadConsent, { lead, channel: 'email', status: 'subscribed', changedAt: new Date(), source: 'test' });
    const enrollment = em.create(Enrollment, { campaign, lead, flowVersion: version, workflowId: `test-${randomUUID()}` });
    await em.flush();
    return { campaignId: campaign.id, enrollmentId: enrollment.id, leadId: lead.id, stepId: options.stepId ?? 'welcome', step: flowStep, email };
  }

  beforeAll(async () => {
    orm = await openTestDatabase();
    smtp = await startSmtpSink();
    mailer = createMailTransport({ smtpUrl: smtp.url, outboxDir: '/unused', pool: true, maxConnections: 2 });
    ({ sendEmail, sendEmails } = createSendEmailActivities({ orm, mailer, config, logger: pino({ level: 'silent' }) }));
  });
  afterAll(async () => {
    mailer?.close();
    await orm?.close(true);
    await smtp?.close();
  });

  it('delivers the message once, and a retry after that sends nothing', async () => {
    const input = await enrol();
    await expect(run(input)).resolves.toEqual({ outcome: 'sent' });
    await expect(run(input)).resolves.toEqual({ outcome: 'already_sent' });

    expect(answersTo(input.email)).toEqual([250]);
    const [row] = await ledger(input);
    expect(row.status).toBe('sent');
    const bare = (id: string | null | undefined) => id?.replace(/[<>]/g, '');
    const mail = smtp.messages.find((m) => bare(m.messageId) === bare(row.provider_message_id));
    expect(mail?.subject).toBe('Hello Ada');
    expect(mail?.headers.get('x-campaign-id')).toBe(input.campaignId);
    expect(mail?.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('does not send again when the connection drops after the end of the message', async () => {
    const input = await enrol();
    smtp.refuse(input.email, { at: 'data', reply: 'hang_up', times: 1 });
    // The server has the whole message but never said so: the ledger keeps it handed over.
    await expect(run(input)).resolves.toEqual({ outcome: 'unconfirmed' });
    expect((await ledger(input))[0].status).toBe('handed_over');

    await expect(run(input)).resolves.toEqual({ outcome: 'already_sent' });
    expect(answersTo(input.email)).toEqual(['hang_up']);
  });

  it('ends the step rather than risk a second message when the database cannot record the hand-over', async () => {
    const input = await enrol();
    smtp.refuse(input.email, { at: 'data', reply: 'hang_up', times: 1 });
    // The database refuses the hand-over mark for this lead only, on every connection.
    const fn = `refuse_hand_over_${input.leadId.replace(/-/g, '')}`;
    await sql(`create function ${fn}() returns trigger language plpgsql as $$ begin
      if new.status = 'handed_over' and new.lead_id = '${input.leadId}' then raise exception 'no'; end if; return new; end $$`);
    await sql(`create trigger ${fn} before update on messages for each row execute function ${fn}()`);
    try {
      expect(await failureOf(input)).toMatchObject({ type: 'DeliveryUnrecorded', nonRetryable: true });
    } finally {
      await sql(`drop trigger ${fn} on messages`);
      await sql(`drop function ${fn}()`);
    }
    expect((await ledger(input))[0].status).toBe('sending');
    expect(answersTo(input.email)).toEqual(['hang_up']);
  });

  it('tries again after a 4xx at the end of the message, and then delivers once', async () => {
    const input = await enrol();
    smtp.refuse(input.email, { at: 'data', reply: 451, times: 1 });
    const failure = await failureOf(input);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'SmtpDeferred', nonRetryable: false });
    expect((await ledger(input))[0].status).toBe('sending');

    await expect(run(input)).resolves.toEqual({ outcome: 'sent' });
    expect(answersTo(input.email)).toEqual([451, 250]);
  });

  it('tries again after a 4xx to RCPT TO', async () => {
    const input = await enrol();
    smtp.refuse(input.email, { at: 'rcpt', reply: 450, times: 1 });
    expect(await failureOf(input)).toMatchObject({ type: 'SmtpDeferred', nonRetryable: false });
    await expect(run(input)).resolves.toEqual({ outcome: 'sent' });
    expect(answersTo(input.email)).toEqual([250]);
  });

  it.each([
    ['RCPT TO', 'rcpt' as const],
    ['the end of the message', 'data' as const],
  ])('marks the lead bounced after a 5xx to %s, and suppresses its later sends', async (_label, at) => {
    const input = await enrol();
    smtp.refuse(input.email, { at, reply: 550 });
    const failure = await failureOf(input);
    expect(failure).toMatchObject({ type: 'PermanentBounce', nonRetryable: true });

    expect((await ledger(input))[0].status).toBe('bounced');
    const [consent] = await sql('select status, source from lead_consents where lead_id = ?', [input.leadId]);
    expect(consent).toEqual({ status: 'bounced', source: 'bounce' });
    const events = await sql<{ data: Record<string, unknown> }>("select data from lead_events where lead_id = ? and type = 'consent_changed'", [input.leadId]);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ channel: 'email', status: 'bounced', source: 'bounce' });
    expect(String(events[0].data.reason)).toContain('550');

    // The next step to the same lead is not even offered to the server.
    const next = { ...input, stepId: 'reminder' };
    await expect(run(next)).resolves.toEqual({ outcome: 'suppressed' });
    expect((await ledger(next))[0].status).toBe('suppressed');
    expect(smtp.receptions.filter((r) => r.to.includes(input.email) && r.answer === 250)).toEqual([]);
  });

  it('sends one message when several attempts run at the same time', async () => {
    const input = await enrol();
    const outcomes: string[] = await Promise.all([1, 2, 3].map(() => run(input).then((r) => r.outcome, (e: ApplicationFailure) => e.type ?? 'failed')));
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    for (const other of outcomes.filter((o) => o !== 'sent')) expect(['already_sent', 'SendInProgress']).toContain(other);
    expect(answersTo(input.email)).toEqual([250]);
  });

  it('holds the step while the campaign is paused, without claiming anything', async () => {
    const input = await enrol({ status: 'paused' });
    expect(await failureOf(input)).toMatchObject({ type: 'CampaignPaused', nonRetryable: true });
    expect(await ledger(input)).toEqual([]);
    expect(answersTo(input.email)).toEqual([]);
  });

  it('spaces a rate-limited campaign\'s messages one interval apart, and keeps a message\'s slot across retries', async () => {
    // 600 a minute: one slot every 100 ms.
    const first = await enrol({ perMinute: 600 });
    const campaign = await orm.em.fork().findOneOrFail(Campaign, first.campaignId);
    const others = [await enrol({ campaign }), await enrol({ campaign })];
    smtp.refuse(others[1].email, { at: 'rcpt', reply: 421, times: 1 });

    await expect(run(first)).resolves.toEqual({ outcome: 'sent' });
    await expect(run(others[0])).resolves.toEqual({ outcome: 'sent' });
    await failureOf(others[1]);
    const reserved = new Date((await ledger(others[1]))[0].not_before!).getTime();
    await expect(run(others[1])).resolves.toEqual({ outcome: 'sent' });

    const slots = await Promise.all([first, ...others].map(async (input) => new Date((await ledger(input))[0].not_before!).getTime()));
    expect(slots[1] - slots[0]).toBeGreaterThanOrEqual(100);
    expect(slots[2] - slots[1]).toBeGreaterThanOrEqual(100);
    expect(slots[2]).toBe(reserved);
  });

  it('leaves a slot more than 30 s away to a retry at that time', async () => {
    // One a minute: the second message's slot is a minute after the first's.
    const first = await enrol({ perMinute: 1 });
    const second = await enrol({ campaign: await orm.em.fork().findOneOrFail(Campaign, first.campaignId) });
    await expect(run(first)).resolves.toEqual({ outcome: 'sent' });

    const failure = (await failureOf(second)) as ApplicationFailure;
    expect(failure).toMatchObject({ type: 'SendRateLimited', nonRetryable: false });
    expect(Number(failure.nextRetryDelay)).toBeGreaterThan(30_000);
    expect(answersTo(second.email)).toEqual([]);
    expect((await ledger(second))[0].status).toBe('sending');
  });

  it('writes the message to the outbox folder when no SMTP server is configured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ce-outbox-'));
    const outbox = createMailTransport({ smtpUrl: null, outboxDir: dir });
    try {
      const viaOutbox = createSendEmailActivities({ orm, mailer: outbox, config, logger: pino({ level: 'silent' }) }).sendEmail;
      const input = await enrol();
      await expect(run(input, viaOutbox)).resolves.toEqual({ outcome: 'sent' });
      await expect(run(input, viaOutbox)).resolves.toEqual({ outcome: 'already_sent' });

      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      const eml = readFileSync(join(dir, files[0]), 'utf8');
      expect(eml).toContain(`To: ${input.email}`);
      expect(eml).toContain('Subject: Hello Ada');
      expect((await ledger(input))[0].status).toBe('sent');
    } finally {
      outbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('a batch of leads (sendEmails)', () => {
    const runBatch = (batch: ActionBatchInput): Promise<MemberOutcome[]> =>
      new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }).run(sendEmails, batch);

    /** `count` subscribed leads enrolled in one campaign, as the batch input of its welcome step. */
    async function enrolMany(count: number): Promise<{ batch: ActionBatchInput; inputs: (ActionInput & { email: string })[] }> {
      const first = await enrol();
      const campaign = await orm.em.fork().findOneOrFail(Campaign, first.campaignId);
      const inputs = [first];
      for (let i = 1; i < count; i++) inputs.push(await enrol({ campaign }));
      // Every lead's step names the first lead's template, as one flow step would.
      const members = inputs.map((input) => ({ enrollmentId: input.enrollmentId, leadId: input.leadId }));
      return { batch: { campaignId: first.campaignId, stepId: 'welcome', step: first.step, members }, inputs };
    }

    it('answers every lead on its own, in order: sent, suppressed, already sent, gone', async () => {
      const { batch, inputs } = await enrolMany(6);
      await sql(`update lead_consents set status = 'unsubscribed' where lead_id = ?`, [inputs[1].leadId]);
      await expect(run(inputs[2])).resolves.toEqual({ outcome: 'sent' });
      const gone = { enrollmentId: randomUUID(), leadId: randomUUID() };

      const outcomes = await runBatch({ ...batch, members: [...batch.members, gone] });

      expect(outcomes.map((o) => [o.enrollmentId, o.kind === 'done' ? o.outcome : o.kind === 'failed' ? o.type : o.reason])).toEqual([
        [inputs[0].enrollmentId, 'sent'],
        [inputs[1].enrollmentId, 'suppressed'],
        [inputs[2].enrollmentId, 'already_sent'],
        [inputs[3].enrollmentId, 'sent'],
        [inputs[4].enrollmentId, 'sent'],
        [inputs[5].enrollmentId, 'sent'],
        [gone.enrollmentId, 'EnrollmentGone'],
      ]);
      for (const [i, input] of inputs.entries()) expect(answersTo(input.email)).toEqual(i === 1 ? [] : [250]);
      expect((await ledger(inputs[1]))[0].status).toBe('suppressed');
    });

    it('sends nothing again when the same batch runs twice at the same time and once more after', async () => {
      const { batch, inputs } = await enrolMany(5);
      const [a, b] = await Promise.all([runBatch(batch), runBatch(batch)]);
      const again = await runBatch(batch);

      for (const [i, input] of inputs.entries()) {
        expect(answersTo(input.email)).toEqual([250]);
        const answers = [a[i], b[i]].map((o) => (o.kind === 'done' ? o.outcome : o.kind === 'retry' ? o.type : o.type));
        expect(answers.filter((x) => x === 'sent')).toHaveLength(1);
        expect(['already_sent', 'SendInProgress']).toContain(answers.find((x) => x !== 'sent'));
        expect(again[i]).toMatchObject({ kind: 'done', outcome: 'already_sent' });
      }
    });

    it('lets one lead\'s 4xx come back as a retry of that lead alone, while the others are sent', async () => {
      const { batch, inputs } = await enrolMany(3);
      smtp.refuse(inputs[1].email, { at: 'rcpt', reply: 451, times: 1 });

      const outcomes = await runBatch(batch);
      expect(outcomes[0]).toMatchObject({ kind: 'done', outcome: 'sent' });
      expect(outcomes[1]).toMatchObject({ kind: 'retry', type: 'SmtpDeferred' });
      expect(outcomes[2]).toMatchObject({ kind: 'done', outcome: 'sent' });
      expect((await ledger(inputs[1]))[0].status).toBe('sending');

      const retried = await runBatch({ ...batch, members: [batch.members[1]] });
      expect(retried).toEqual([{ enrollmentId: inputs[1].enrollmentId, kind: 'done', outcome: 'sent' }]);
      for (const input of inputs) expect(answersTo(input.email).filter((a) => a === 250)).toHaveLength(1);
    });

    it('answers every lead CampaignPaused while the campaign is paused, claiming nothing', async () => {
      const { batch, inputs } = await enrolMany(2);
      await sql(`update campaigns set status = 'paused' where id = ?`, [batch.campaignId]);
      const outcomes = await runBatch(batch);
      expect(outcomes.map((o) => o.kind === 'failed' && o.type)).toEqual(['CampaignPaused', 'CampaignPaused']);
      for (const input of inputs) expect(await ledger(input)).toEqual([]);
    });

    it('takes one run of the overall send rate\'s slots for the whole batch', async () => {
      const before = await sql<{ next_at: string }>(`select next_at from send_rate_slots where key = 'overall'`);
      const { batch } = await enrolMany(4);
      await runBatch(batch);
      const [after] = await sql<{ next_at: string }>(`select next_at from send_rate_slots where key = 'overall'`);
      // 1,000 a second: four messages take four milliseconds of slots, after whatever was taken before.
      const from = before[0] ? new Date(before[0].next_at).getTime() : 0;
      expect(new Date(after.next_at).getTime() - Math.max(from, 0)).toBeGreaterThanOrEqual(4);
    });
  });
});
