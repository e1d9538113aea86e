import { ApplicationFailure } from '@temporalio/activity';
import type { ActionInput, ActionResult } from '@ce/contracts';
import { Campaign, Lead, LeadEvent } from '@ce/db';
import { renderTemplate } from '@ce/mail';
import { assertCampaignActive } from '../campaign-guard';
import { leadName, leadTemplateVariables } from '../send-email/render-lead-email';
import type { ActivityDeps } from '../deps';
import { claimStepRun, findStepRun, recordStepOutcome } from '../step-ledger';
import type { NotifySalesSettings } from './notify-sales.step';

/** SMTP replies in the 5xx range are permanent: the server will not take this mail. */
const isPermanent = (error: unknown) => {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

/** What the step needs from the worker's dependencies. */
export type NotifySalesDeps = Pick<ActivityDeps, 'orm' | 'mailer' | 'logger'> & { config: Pick<ActivityDeps['config'], 'mailFrom'> };

export const createNotifySalesActivities = ({ orm, mailer, config, logger }: NotifySalesDeps) => ({
  /**
   * Emails the step's sales addresses about the lead, at most once per (enrollment, step). A
   * send is not a database effect, so the ledger row is claimed first (`sending`), the mail
   * sent, and the row marked `sent` with the lead's timeline event; a retry that finds it sent
   * stops. A worker dying between the send and the mark sends again on retry, as email does.
   */
  async notifySales(input: ActionInput): Promise<ActionResult> {
    const em = orm.em.fork();
    await assertCampaignActive(em, input.campaignId);
    const lead = await em.findOne(Lead, input.leadId);
    if (!lead) throw ApplicationFailure.nonRetryable('The lead no longer exists', 'LeadMissing');
    const campaign = await em.findOneOrFail(Campaign, input.campaignId);
    const settings = input.step as unknown as NotifySalesSettings;

    await claimStepRun(em, input, { status: 'sending' });
    const ledger = await findStepRun(em, input);
    if (ledger?.status !== 'sending') return { outcome: 'already_done' };

    const fail = async (error: string, type: string) => {
      await recordStepOutcome(em, input, { status: 'failed', error });
      return ApplicationFailure.nonRetryable(error, type);
    };
    let mail: { subject: string; text: string };
    try {
      mail = salesEmail(settings.message, lead, campaign.name);
    } catch (error) {
      throw await fail((error as Error).message.slice(0, 1000), 'TemplateInvalid');
    }

    const ids = { leadId: input.leadId, campaignId: input.campaignId, stepId: input.stepId };
    let providerMessageId: string | null;
    try {
      const info: { messageId?: unknown } = await mailer.sendMail({ from: config.mailFrom, to: settings.to, ...mail });
      providerMessageId = typeof info.messageId === 'string' ? info.messageId : null;
    } catch (error) {
      if (!isPermanent(error)) {
        logger.warn({ msg: 'sales notification deferred', ...ids });
        throw error;
      }
      throw await fail('The mail server refused the notification permanently', 'NotificationRejected');
    }

    await em.transactional(async (tx) => {
      await recordStepOutcome(tx, input, { status: 'sent', recipients: settings.to.length, providerMessageId });
      tx.create(LeadEvent, {
        lead: lead.id,
        type: 'sales_notified',
        occurredAt: new Date(),
        data: { to: settings.to, source: 'flow', campaignId: input.campaignId, stepId: input.stepId },
      });
    });
    logger.info({ msg: 'sales notified', recipients: settings.to.length, ...ids });
    return { outcome: 'sent' };
  },
});

/** The notification: a subject naming the lead, the rendered message, then the lead's details. */
export function salesEmail(message: string, lead: Lead, campaignName: string): { subject: string; text: string } {
  const name = leadName(lead);
  const who = lead.company ? `${name} (${lead.company})` : name;
  const variables = leadTemplateVariables(lead, { name: campaignName });
  // The text part of a template is rendered without HTML escaping: this is a plain-text email.
  const body = renderTemplate({ subject: '', html: '', text: message }, variables).text.trim();
  const details = [
    ['Name', name],
    ['Email', lead.email],
    ['Company', lead.company],
    ['Job title', lead.jobTitle],
    ['Phone', lead.phone],
    ['Stage', lead.lifecycleStage],
    ['Score', String(lead.score)],
    ['Campaign', campaignName],
  ].filter((row): row is [string, string] => typeof row[1] === 'string' && row[1] !== '');
  return {
    // A line break in a name must not break the header.
    subject: `Lead for sales: ${who}`.replace(/\s*[\r\n]+\s*/g, ' '),
    text: `${body}\n\n--\n${details.map(([label, value]) => `${label}: ${value}`).join('\n')}\n`,
  };
}
