import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import pino from 'pino';
import type { ActionInput, ActionResult } from '@ce/contracts';
import { Campaign, Enrollment, Flow, FlowVersion, Lead } from '@ce/db';
import { openTestDatabase } from '../../tests/support/db';
import { SmtpSink, startSmtpSink } from '../../tests/support/smtp-sink';
import { createNotifySalesActivities } from './notify-sales.activity';

/** The notify_sales activity on real PostgreSQL, sending to a real SMTP server. */
describe('notifySales', () => {
  let orm: MikroORM;
  let smtp: SmtpSink;
  let activities: ReturnType<typeof createNotifySalesActivities>;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);
  const run = (input: ActionInput, notifySales = activities.notifySales): Promise<ActionResult> =>
    new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }).run(notifySales, input);
  const failureOf = (input: ActionInput, notifySales = activities.notifySales) => run(input, notifySales).then(() => null, (error: unknown) => error);

  /** A running campaign with Ada enrolled, about to run `step`. */
  async function enrol(step: Record<string, unknown>): Promise<ActionInput> {
    const em = orm.em.fork();
    const flowStep = { type: 'notify_sales', ...step };
    const flow = em.create(Flow, { name: 'Hand-off' });
    const version = em.create(FlowVersion, { flow, version: 1, definition: { entry: 'tell', steps: { tell: flowStep } } });
    const campaign = em.create(Campaign, { name: 'Demo requests', flow, flowVersion: version, channel: 'email', status: 'running', audience: {}, currency: 'EUR' });
    const lead = em.create(Lead, {
      email: `ada-${randomUUID()}@example.com`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      lifecycleStage: 'sql',
      score: 42,
      attributes: { plan: 'pro' },
    });
    const enrollment = em.create(Enrollment, { campaign, lead, flowVersion: version, workflowId: `test-${randomUUID()}` });
    await em.flush();
    return { campaignId: campaign.id, enrollmentId: enrollment.id, leadId: lead.id, stepId: 'tell', step: flowStep };
  }
  const ledger = async (input: ActionInput) => (await sql<{ outcome: Record<string, unknown> }>('select outcome from step_runs where enrollment_id = ?', [input.enrollmentId]))[0]?.outcome;
  const events = (leadId: string) => sql<{ type: string; data: Record<string, unknown> }>('select type, data from lead_events where lead_id = ?', [leadId]);

  beforeAll(async () => {
    orm = await openTestDatabase();
    smtp = await startSmtpSink();
    activities = createNotifySalesActivities({
      orm,
      mailer: nodemailer.createTransport(smtp.url),
      config: { mailFrom: 'Campaign Engine <campaigns@example.com>' },
      logger: pino({ level: 'silent' }),
    });
  });
  beforeEach(() => smtp.messages.splice(0));
  afterAll(async () => {
    await orm?.close(true);
    await smtp?.close();
  });

  it('emails every listed address a plain message naming the lead, and notes it on the timeline', async () => {
    const to = ['sales@example.com', 'emea-sales@example.com'];
    const input = await enrol({ to, message: '{{lead.firstName}} ({{lead.plan}} plan) asked for a demo in {{campaign.name}}. <Call today>' });
    await expect(run(input)).resolves.toEqual({ outcome: 'sent' });

    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail.subject).toBe('Lead for sales: Ada Lovelace (Analytical Engines)');
    expect(mail.from?.text).toBe('"Campaign Engine" <campaigns@example.com>');
    expect((Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a!.value.map((v) => v.address))).toEqual(to);
    expect(mail.html).toBe(false);
    expect(mail.text).toContain('Ada (pro plan) asked for a demo in Demo requests. <Call today>');
    expect(mail.text).toContain('Company: Analytical Engines');
    expect(mail.text).toContain('Score: 42');

    expect(await ledger(input)).toMatchObject({ status: 'sent', recipients: 2 });
    expect(await events(input.leadId)).toEqual([
      { type: 'sales_notified', data: { to, source: 'flow', campaignId: input.campaignId, stepId: 'tell' } },
    ]);
  });

  it('does not email again when the activity runs again for the same enrollment and step', async () => {
    const input = await enrol({ to: ['sales@example.com'], message: 'Call {{lead.firstName}}' });
    await run(input);
    await expect(run(input)).resolves.toEqual({ outcome: 'already_done' });
    expect(smtp.messages).toHaveLength(1);
    expect(await events(input.leadId)).toHaveLength(1);
  });

  it('retries when the mail server cannot be reached, and sends once it can', async () => {
    const input = await enrol({ to: ['sales@example.com'], message: 'Call {{lead.firstName}}' });
    const unreachable = createNotifySalesActivities({
      orm,
      mailer: nodemailer.createTransport({ host: '127.0.0.1', port: 1, connectionTimeout: 2_000 }),
      config: { mailFrom: 'campaigns@example.com' },
      logger: pino({ level: 'silent' }),
    });
    const failure = await failureOf(input, unreachable.notifySales);
    // The SMTP error itself: Temporal retries it with backoff.
    expect(failure).toMatchObject({ code: 'ESOCKET' });
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    expect(await ledger(input)).toEqual({ status: 'sending' });

    await expect(run(input)).resolves.toEqual({ outcome: 'sent' });
    expect(smtp.messages).toHaveLength(1);
  });

  it('fails for good, without sending, when the message cannot be rendered', async () => {
    const input = await enrol({ to: ['sales@example.com'], message: '{{#if lead.firstName}}Call her' });
    expect(await failureOf(input)).toMatchObject({ type: 'TemplateInvalid', nonRetryable: true });
    expect(smtp.messages).toHaveLength(0);
    expect(await ledger(input)).toMatchObject({ status: 'failed' });
  });

  it('sends nothing while the campaign is paused', async () => {
    const input = await enrol({ to: ['sales@example.com'], message: 'Call {{lead.firstName}}' });
    await sql(`update campaigns set status = 'paused' where id = ?`, [input.campaignId]);
    expect(await failureOf(input)).toMatchObject({ type: 'CampaignPaused', nonRetryable: true });
    expect(smtp.messages).toHaveLength(0);
    expect(await ledger(input)).toBeUndefined();
  });
});
