import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ActionInput, ActionResult } from '@ce/contracts';
import { Enrollment, LeadConsent, Message, Template } from '@ce/db';
import { appendOpenPixel, clickUrl, openPixelUrl, renderTemplate, rewriteLinks, rewriteTextLinks, unsubscribeUrl } from '@ce/mail';
import type { ActivityDeps } from '../deps';

/** SMTP replies in the 5xx range are permanent: the address will not take mail. */
const isPermanent = (error: unknown) => {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

function beforeBodyEnd(html: string, fragment: string): string {
  const end = html.search(/<\/body\s*>/i);
  return end < 0 ? html + fragment : html.slice(0, end) + fragment + html.slice(end);
}

/** A visible way out in every message; not click-tracked. */
function unsubscribeFooterHtml(url: string): string {
  const href = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<p style="font-size:12px;color:#666"><a href="${href}" data-no-track>Unsubscribe</a> from these emails.</p>`;
}

export const createSendEmailActivities = ({ orm, mailer, config, logger }: ActivityDeps) => ({
  /**
   * Sends the step's template to the lead at most once per (enrollment, step): the ledger row
   * is claimed by its unique key before sending, and a retry that finds it already sent stops.
   */
  async sendEmail(input: ActionInput): Promise<ActionResult> {
    const em = orm.em.fork();
    const idempotencyKey = `${input.enrollmentId}:${input.stepId}`;
    const enrollment = await em.findOneOrFail(Enrollment, input.enrollmentId, { populate: ['lead', 'campaign'] });
    const lead = enrollment.lead;

    await em.getConnection().execute(
      `insert into messages (id, idempotency_key, enrollment_id, campaign_id, lead_id, step_id, channel, status)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, 'email', 'sending')
       on conflict (idempotency_key) do nothing`,
      [idempotencyKey, enrollment.id, enrollment.campaign.id, lead.id, input.stepId],
    );
    const message = await em.findOneOrFail(Message, { idempotencyKey });
    if (message.status !== 'sending') return { outcome: `already_${message.status}` };

    // Consent is checked at send time, not only at enrollment: an unsubscribe, bounce or
    // complaint in between stops the send.
    const consent = await em.findOne(LeadConsent, { lead: lead.id, channel: 'email' });
    if (consent?.status !== 'subscribed') {
      message.status = 'suppressed';
      await em.flush();
      return { outcome: 'suppressed' };
    }

    const templateId = String(input.step.templateId);
    const template = await em.findOne(Template, templateId);
    if (!template) {
      message.status = 'failed';
      message.error = `template ${templateId} no longer exists`;
      await em.flush();
      throw ApplicationFailure.nonRetryable(message.error, 'TemplateMissing');
    }

    let rendered: ReturnType<typeof renderTemplate>;
    try {
      rendered = renderTemplate(template, {
        lead: { firstName: lead.firstName, lastName: lead.lastName, email: lead.email, ...lead.attributes },
        campaign: { name: enrollment.campaign.name },
      });
    } catch (error) {
      // Rendering is deterministic: trying again would fail the same way.
      message.status = 'failed';
      message.error = (error as Error).message.slice(0, 1000);
      await em.flush();
      throw ApplicationFailure.nonRetryable(message.error, 'TemplateRenderFailed');
    }
    const track = (url: string) => clickUrl(config.publicBaseUrl, config.trackingSecret, message.id, url);
    const unsubscribe = unsubscribeUrl(config.publicBaseUrl, config.trackingSecret, message.id);
    const html = appendOpenPixel(
      beforeBodyEnd(rewriteLinks(rendered.html, track).html, unsubscribeFooterHtml(unsubscribe)),
      openPixelUrl(config.publicBaseUrl, config.trackingSecret, message.id),
    );
    const text = `${rewriteTextLinks(rendered.text, track).text}\n\n--\nUnsubscribe: ${unsubscribe}\n`;

    try {
      const info: { messageId?: unknown } = await mailer.sendMail({
        from: config.mailFrom,
        to: lead.email,
        subject: rendered.subject,
        html,
        text,
        messageId: `<${message.id}@campaign-engine>`,
        headers: {
          'X-Campaign-Id': enrollment.campaign.id,
          // One-click unsubscribe (RFC 8058): mail clients POST to the link; nothing else needed.
          'List-Unsubscribe': `<${unsubscribe}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      });
      message.status = 'sent';
      message.subject = rendered.subject;
      message.providerMessageId = typeof info.messageId === 'string' ? info.messageId : null;
      message.sentAt = new Date();
      await em.flush();
      logger.info({ msg: 'email sent', messageId: message.id, campaignId: enrollment.campaign.id, stepId: input.stepId });
      return { outcome: 'sent' };
    } catch (error) {
      if (!isPermanent(error)) {
        logger.warn({ msg: 'email send deferred', messageId: message.id, attempt: Context.current().info.attempt });
        throw error;
      }
      message.status = 'failed';
      message.error = (error as Error).message.slice(0, 1000);
      await em.flush();
      throw ApplicationFailure.nonRetryable('The mail server refused the message permanently', 'PermanentBounce');
    }
  },
});
