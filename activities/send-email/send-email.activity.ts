import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ActionInput, ActionResult } from '@ce/contracts';
import { RenderedEmail, TemplateInvalidError, TemplateRenderError } from '@ce/mail';
import { assertCampaignActive } from '../campaign-guard';
import type { ActivityDeps } from '../deps';
import { composeLeadEmail } from './compose-lead-email';
import { deliverOnce } from './deliver-once';
import { claimMessage, emailConsent, markFailed, markSuppressed, recordBounce, revertHandOver } from './message-ledger';
import { leadTemplateVariables, renderLeadEmail, TemplateMissingError, TemplateNotEmailError } from './render-lead-email';
import { loadSendContext } from './send-context';
import { reserveSendSlot, waitForSlot } from './send-rate';
import { describeSmtpError, isHardBounce, replyCode } from './smtp-errors';

/** The failure type that ends a lead's path when its address refuses mail for good. */
export const PERMANENT_BOUNCE = 'PermanentBounce';

export type SendEmailDeps = Pick<ActivityDeps, 'orm' | 'mailer' | 'logger'> & {
  config: Pick<ActivityDeps['config'], 'mailFrom' | 'publicBaseUrl' | 'trackingSecret'>;
};

export const createSendEmailActivities = ({ orm, mailer, config, logger }: SendEmailDeps) => ({
  /**
   * Sends the step's template to the lead once per (enrollment, step). The ledger row, claimed
   * by its unique key, carries the message through `sending` → `handed_over` → `sent`; see
   * `deliverOnce` and docs/email-delivery.md for why a retry, a replay or a crash of this
   * process never delivers a second copy.
   */
  async sendEmail(input: ActionInput): Promise<ActionResult> {
    const em = orm.em.fork();
    await assertCampaignActive(em, input.campaignId);
    const { lead, campaign } = await loadSendContext(em, input.enrollmentId);
    const message = await claimMessage(em, {
      idempotencyKey: `${input.enrollmentId}:${input.stepId}`,
      enrollmentId: input.enrollmentId,
      campaignId: campaign.id,
      leadId: lead.id,
      stepId: input.stepId,
    });
    if (message.status !== 'sending') return settledOutcome(message.status, message.id);

    let consent = message.consent;
    if (campaign.sendRatePerMinute !== null) {
      const slot = await reserveSendSlot(em, message.id, campaign.id, campaign.sendRatePerMinute);
      if (await waitForSlot(slot)) {
        // Things may have changed while waiting: a pause holds the step, an unsubscribe stops it.
        await assertCampaignActive(em, input.campaignId);
        consent = await emailConsent(em, lead.id);
      }
    }

    // Consent is checked at send time, not only at enrollment: an unsubscribe, bounce or
    // complaint in between stops the send.
    if (consent !== 'subscribed') {
      await markSuppressed(em, message.id);
      return { outcome: 'suppressed' };
    }

    let rendered: RenderedEmail;
    try {
      rendered = await renderLeadEmail(em, String(input.step.templateId), leadTemplateVariables(lead, campaign));
    } catch (error) {
      const type = permanentTemplateProblem(error);
      if (!type) throw error;
      // A missing template or a render error is deterministic: trying again would fail the same way.
      const reason = (error as Error).message;
      await markFailed(em, message.id, reason);
      throw ApplicationFailure.nonRetryable(reason, type);
    }

    const email = await composeLeadEmail({ messageId: message.id, campaignId: campaign.id, to: lead.email, rendered }, config);
    const delivery = await deliverOnce(em, mailer, { id: message.id, subject: rendered.subject }, email);
    const log = { messageId: message.id, campaignId: campaign.id, stepId: input.stepId };

    switch (delivery.kind) {
      case 'settled':
        return settledOutcome(delivery.status, message.id);
      case 'busy':
        throw ApplicationFailure.retryable('Another attempt is sending this message right now', 'SendInProgress');
      case 'delivered': {
        if (delivery.recorded === 'nothing') throw unrecorded(message.id, 'the server took it');
        if (delivery.recorded !== 'sent') logger.warn({ msg: 'email sent, but the ledger could only record its hand-over', ...log });
        logger.info({ msg: 'email sent', ...log });
        return { outcome: 'sent' };
      }
      case 'failed': {
        const reason = describeSmtpError(delivery.error);
        if (isHardBounce(delivery.error)) {
          await recordBounce(em, message.id, reason);
          logger.info({ msg: 'email bounced', reason, ...log });
          throw ApplicationFailure.nonRetryable(`The mail server refused the address for good: ${reason}`, PERMANENT_BOUNCE);
        }
        if (delivery.handedOver && replyCode(delivery.error) === null) {
          // The dot was written and no answer came: the server may well have the message.
          // Sending again could deliver it twice, so the ledger keeps `handed_over`.
          if (!delivery.recorded) throw unrecorded(message.id, 'no answer came');
          logger.warn({ msg: 'email handed over, but the server never confirmed it', reason, ...log });
          return { outcome: 'unconfirmed' };
        }
        // The server said "not now" (4xx), or the connection failed before the end of the message.
        if (delivery.handedOver) await revertHandOver(em, message.id, reason);
        logger.warn({ msg: 'email send deferred', reason, attempt: Context.current().info.attempt, ...log });
        throw ApplicationFailure.retryable(`The mail server did not take the message: ${reason}`, 'SmtpDeferred');
      }
    }
  },
});

/**
 * The end of the message went out, but the database took neither the hand-over mark nor
 * anything after it, so the ledger still says `sending`. A retry would send again; rather than
 * risk a second message, this step ends here.
 */
function unrecorded(messageId: string, what: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Message ${messageId} was handed to the mail server (${what}), but the send ledger could not record it`,
    'DeliveryUnrecorded',
  );
}

/** The failure type of a template problem that no retry can fix; null for anything else (a database hiccup). */
function permanentTemplateProblem(error: unknown): string | null {
  if (error instanceof TemplateMissingError) return 'TemplateMissing';
  if (error instanceof TemplateNotEmailError || error instanceof TemplateInvalidError || error instanceof TemplateRenderError)
    return 'TemplateRenderFailed';
  return null;
}

/** A row already past `sending`: never send again; repeat a permanent failure so the path ends the same way. */
function settledOutcome(status: string, messageId: string): ActionResult {
  if (status === 'handed_over' || status === 'sent') return { outcome: 'already_sent' };
  if (status === 'bounced') throw ApplicationFailure.nonRetryable(`Message ${messageId} bounced`, PERMANENT_BOUNCE);
  if (status === 'failed') throw ApplicationFailure.nonRetryable(`Message ${messageId} could not be built`, 'TemplateRenderFailed');
  return { outcome: `already_${status}` };
}
