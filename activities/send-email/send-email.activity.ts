import { ApplicationFailure, Context } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionBatchInput, ActionInput, ActionResult, MemberAnswer, MemberOutcome } from '@ce/contracts';
import { withPgClient } from '@ce/db';
import { EmailTemplateBundle, renderEmail, RenderedEmail, TemplateInvalidError, TemplateRenderError } from '@ce/mail';
import { outcomeOfError } from '../action-batch';
import { assertCampaignActive } from '../campaign-guard';
import type { ActivityDeps } from '../deps';
import { composeLeadEmail } from './compose-lead-email';
import { deliverLocked, HandOverMarks, lockMessages, recordSent, SentRecord, unlockMessages } from './deliver-once';
import { claimMessages, emailConsent, markFailed, markSuppressed, recordBounce, revertHandOver } from './message-ledger';
import { leadTemplateVariables, loadEmailTemplate, TemplateMissingError, TemplateNotEmailError } from './render-lead-email';
import { loadSendContexts, SendCampaign, TemplateLead } from './send-context';
import { SendLanes } from './send-lanes';
import { reserveOverallSlots, reserveSendSlot, sleepUntil, waitForSlot } from './send-rate';
import { describeSmtpError, isHardBounce, replyCode } from './smtp-errors';

/** The failure type that ends a lead's path when its address refuses mail for good. */
export const PERMANENT_BOUNCE = 'PermanentBounce';

export type SendEmailDeps = Pick<ActivityDeps, 'orm' | 'mailer' | 'logger'> & {
  config: Pick<ActivityDeps['config'], 'mailFrom' | 'publicBaseUrl' | 'trackingSecret' | 'emailRatePerSecond' | 'smtpPoolSize'>;
};

/** A message claimed for one lead and cleared to go: consent given, not sent before. */
interface ToSend {
  index: number;
  enrollmentId: string;
  messageId: string;
  lead: TemplateLead;
  /** When the overall send rate lets it go (this process's clock, ms). */
  notBefore: number;
}

export const createSendEmailActivities = ({ orm, mailer, config, logger }: SendEmailDeps) => {
  // Two messages per SMTP connection: one talking to the server while the other is being built or recorded.
  const lanes = new SendLanes(2 * config.smtpPoolSize);
  /**
   * Sends the step's template to every lead of the batch, once per (enrollment, step). The
   * batch shares its reads (campaign, leads, template), its ledger claims and its consent check;
   * the messages then go out through the worker's shared sending lanes (two per SMTP connection),
   * with the batch's locks and hand-over marks on one database connection of its own, each message through the hand-over protocol of
   * `deliverLocked` (docs/email-delivery.md): a retry, a replay or a crash of this process
   * never delivers a second copy. Every lead is answered on its own.
   */
  async function sendEmails(batch: ActionBatchInput): Promise<MemberOutcome[]> {
    const em = orm.em.fork();
    const outcomes: (MemberOutcome | undefined)[] = new Array(batch.members.length);
    const answer = (index: number, outcome: MemberAnswer) =>
      void (outcomes[index] = { ...outcome, enrollmentId: batch.members[index].enrollmentId });
    const answerAll = (outcome: (enrollmentId: string) => MemberOutcome) => batch.members.map((m) => outcome(m.enrollmentId));

    try {
      await assertCampaignActive(em, batch.campaignId);
    } catch (error) {
      return answerAll((id) => outcomeOfError(id, error));
    }
    const { campaign, leads } = await loadSendContexts(em, batch.campaignId, batch.members.map((m) => m.enrollmentId));
    if (!campaign) return answerAll((id) => failed(id, 'CampaignEnded', 'The campaign is gone'));

    const claims = await claimMessages(
      em,
      batch.members
        .filter((m) => leads.has(m.enrollmentId))
        .map((m) => ({ idempotencyKey: `${m.enrollmentId}:${batch.stepId}`, enrollmentId: m.enrollmentId, campaignId: campaign.id, leadId: m.leadId, stepId: batch.stepId })),
    );

    const cleared: Omit<ToSend, 'notBefore'>[] = [];
    const suppressed: string[] = [];
    batch.members.forEach((member, index) => {
      const lead = leads.get(member.enrollmentId);
      // The lead (and with it the enrollment) was erased: there is no one to send to, ever.
      if (!lead) return answer(index, { kind: 'failed', type: 'EnrollmentGone', message: `Enrollment ${member.enrollmentId} no longer exists` });
      const claim = claims.get(`${member.enrollmentId}:${batch.stepId}`)!;
      if (claim.status !== 'sending') return answer(index, settledOutcome(claim.status, claim.id));
      // Consent is checked at send time, not only at enrollment: an unsubscribe, bounce or
      // complaint in between stops the send.
      if (claim.consent !== 'subscribed') {
        suppressed.push(claim.id);
        return answer(index, { kind: 'done', outcome: 'suppressed' });
      }
      cleared.push({ index, enrollmentId: member.enrollmentId, messageId: claim.id, lead });
    });
    await markSuppressed(em, suppressed);
    if (cleared.length === 0) return outcomes as MemberOutcome[];

    let template: EmailTemplateBundle;
    try {
      template = await loadEmailTemplate(em, String(batch.step.templateId));
    } catch (error) {
      const type = permanentTemplateProblem(error);
      if (!type) throw error;
      // A missing template is for good: trying again would fail the same way.
      for (const m of cleared) {
        await markFailed(em, m.messageId, (error as Error).message);
        answer(m.index, { kind: 'failed', type, message: (error as Error).message });
      }
      return outcomes as MemberOutcome[];
    }

    const slots = await reserveOverallSlots(em, cleared.length, config.emailRatePerSecond);
    const start = Date.now() + slots.firstInMs;
    const toSend: ToSend[] = cleared.map((m, i) => ({ ...m, notBefore: start + i * slots.intervalMs }));
    // The batch's messages are locked, their statuses read under the locks and their hand-over
    // marks written, on one connection of its own; the messages go out through the worker's
    // shared lanes, in the order of the rate's slots.
    await withPgClient(em, async (client) => {
      const held = await lockMessages(client, toSend.map((m) => m.messageId));
      const marks = new HandOverMarks(client);
      const sent: SentRecord[] = [];
      // The server needs a sign of life every few seconds, not after every message.
      let lastBeat = 0;
      const beat = () => {
        if (Date.now() - lastBeat < 1_000) return;
        lastBeat = Date.now();
        Context.current().heartbeat();
      };
      try {
        await Promise.all(
          toSend.map(async (message) => {
            const status = held.get(message.messageId);
            if (status === undefined) {
              answer(message.index, { kind: 'retry', type: 'SendInProgress', reason: 'Another attempt is sending this message right now' });
            } else if (status !== 'sending') {
              // Settled since it was claimed (an attempt before this one got there first); a row gone (the lead was erased) is settled too.
              answer(message.index, settledOutcome(status ?? 'suppressed', message.messageId));
            } else {
              // Waiting for a rate slot happens outside the lanes, so a throttled campaign never holds up another's sends.
              const answered = await awaitTurn(em, campaign, message).catch((error) => outcomeOfError(message.enrollmentId, error));
              answer(
                message.index,
                answered ?? (await lanes.run(() => sendOne(em, marks, campaign, template, batch, message, sent)).catch((error) => outcomeOfError(message.enrollmentId, error))),
              );
            }
            beat();
          }),
        );
      } finally {
        if (!(await recordSent(client, em, sent)))
          logger.warn({ msg: 'emails sent, but the ledger could only record their hand-over', campaignId: campaign.id, count: sent.length });
        await unlockMessages(client, [...held.keys()]);
      }
    });
    return outcomes as MemberOutcome[];
  }

  /**
   * Waits for the message's turn: its slot of the overall rate, and of its campaign's rate if it
   * has one. Null when it may go; an answer when it may not (the campaign paused or ended
   * meanwhile, the lead unsubscribed meanwhile, or a campaign slot further away than a wait here).
   */
  async function awaitTurn(em: EntityManager, campaign: SendCampaign, message: ToSend): Promise<MemberAnswer | null> {
    await sleepUntil(message.notBefore);
    if (campaign.sendRatePerMinute === null) return null;
    const slot = await reserveSendSlot(em, message.messageId, campaign.id, campaign.sendRatePerMinute);
    await waitForSlot(slot);
    // Things may have changed while waiting: a pause holds the step, an unsubscribe stops it.
    await assertCampaignActive(em, campaign.id);
    if ((await emailConsent(em, message.lead.id)) !== 'subscribed') {
      await markSuppressed(em, [message.messageId]);
      return { kind: 'done', outcome: 'suppressed' };
    }
    return null;
  }

  /** One message, in a lane: render, compose and hand it over once. */
  async function sendOne(
    em: EntityManager,
    marks: HandOverMarks,
    campaign: SendCampaign,
    template: EmailTemplateBundle,
    batch: ActionBatchInput,
    message: ToSend,
    sent: SentRecord[],
  ): Promise<MemberAnswer> {
    let rendered: RenderedEmail;
    try {
      rendered = renderEmail(template, leadTemplateVariables(message.lead, campaign));
    } catch (error) {
      const type = permanentTemplateProblem(error);
      if (!type) throw error;
      // A render error is deterministic: trying again would fail the same way.
      const reason = (error as Error).message;
      await markFailed(em, message.messageId, reason);
      return { kind: 'failed', type, message: reason };
    }

    const email = composeLeadEmail({ messageId: message.messageId, campaignId: campaign.id, to: message.lead.email, rendered }, config);
    const delivery = await deliverLocked(marks, em, mailer, message.messageId, email);
    const log = { messageId: message.messageId, campaignId: campaign.id, stepId: batch.stepId };

    switch (delivery.kind) {
      case 'delivered': {
        const providerId = typeof delivery.info.messageId === 'string' ? delivery.info.messageId : null;
        const record: SentRecord = { id: message.messageId, subject: rendered.subject, providerId, at: new Date() };
        if (delivery.marked) sent.push(record);
        // Without its mark, the message must be recorded now: it is the only record there is.
        else if (!(await recordSent(null, em, [record]))) return unrecorded(message.messageId, 'the server took it');
        logger.debug({ msg: 'email sent', ...log });
        return { kind: 'done', outcome: 'sent' };
      }
      case 'failed': {
        const reason = describeSmtpError(delivery.error);
        if (isHardBounce(delivery.error)) {
          await recordBounce(em, message.messageId, reason);
          logger.info({ msg: 'email bounced', reason, ...log });
          return { kind: 'failed', type: PERMANENT_BOUNCE, message: `The mail server refused the address for good: ${reason}` };
        }
        if (delivery.handedOver && replyCode(delivery.error) === null) {
          // The dot was written and no answer came: the server may well have the message.
          // Sending again could deliver it twice, so the ledger keeps `handed_over`.
          if (!delivery.recorded) return unrecorded(message.messageId, 'no answer came');
          logger.warn({ msg: 'email handed over, but the server never confirmed it', reason, ...log });
          return { kind: 'done', outcome: 'unconfirmed' };
        }
        // The server said "not now" (4xx), or the connection failed before the end of the message.
        if (delivery.handedOver) await revertHandOver(em, message.messageId, reason);
        logger.warn({ msg: 'email send deferred', reason, ...log });
        return { kind: 'retry', type: 'SmtpDeferred', reason: `The mail server did not take the message: ${reason}` };
      }
    }
  }

  return {
    sendEmails,

    /**
     * One lead's send: a batch of one, answered as a single activity answers — a result, or a
     * failure (for good, or to be retried) thrown.
     */
    async sendEmail(input: ActionInput): Promise<ActionResult> {
      const [outcome] = await sendEmails({
        campaignId: input.campaignId,
        stepId: input.stepId,
        step: input.step,
        members: [{ enrollmentId: input.enrollmentId, leadId: input.leadId }],
      });
      if (outcome.kind === 'done') return { outcome: outcome.outcome };
      if (outcome.kind === 'failed') throw ApplicationFailure.nonRetryable(outcome.message, outcome.type);
      throw ApplicationFailure.create({ message: outcome.reason, type: outcome.type, nextRetryDelay: outcome.retryAfterMs });
    },
  };
};

function failed(enrollmentId: string, type: string, message: string): MemberOutcome {
  return { enrollmentId, kind: 'failed', type, message };
}

/**
 * The end of the message went out, but the database took neither the hand-over mark nor
 * anything after it, so the ledger still says `sending`. A retry would send again; rather than
 * risk a second message, this step ends here.
 */
function unrecorded(messageId: string, what: string): MemberAnswer {
  return {
    kind: 'failed',
    type: 'DeliveryUnrecorded',
    message: `Message ${messageId} was handed to the mail server (${what}), but the send ledger could not record it`,
  };
}

/** The failure type of a template problem that no retry can fix; null for anything else (a database hiccup). */
function permanentTemplateProblem(error: unknown): string | null {
  if (error instanceof TemplateMissingError) return 'TemplateMissing';
  if (error instanceof TemplateNotEmailError || error instanceof TemplateInvalidError || error instanceof TemplateRenderError)
    return 'TemplateRenderFailed';
  return null;
}

/** A row already past `sending`: never send again; repeat a permanent failure so the path ends the same way. */
function settledOutcome(status: string, messageId: string): MemberAnswer {
  if (status === 'handed_over' || status === 'sent') return { kind: 'done', outcome: 'already_sent' };
  if (status === 'bounced') return { kind: 'failed', type: PERMANENT_BOUNCE, message: `Message ${messageId} bounced` };
  if (status === 'failed') return { kind: 'failed', type: 'TemplateRenderFailed', message: `Message ${messageId} could not be built` };
  return { kind: 'done', outcome: `already_${status}` };
}
