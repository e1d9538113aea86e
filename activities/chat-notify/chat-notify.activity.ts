import { ApplicationFailure } from '@temporalio/activity';
import type { ActionInput, ActionResult } from '@ce/contracts';
import { Campaign, Lead } from '@ce/db';
import { renderTemplate } from '@ce/mail';
import { assertCampaignActive } from '../campaign-guard';
import { leadTemplateVariables } from '../send-email/render-lead-email';
import type { ActivityDeps } from '../deps';
import { claimStepRun, findStepRun, stepRunKey } from '../step-ledger';
import { deliveryFailure, postSignedJson } from '../webhook/webhook-delivery';
import type { ChatNotifySettings } from './chat-notify.step';

export const CHAT_FAILURES = { rejected: 'ChatRejected', failed: 'ChatFailed' };

/** What the step needs from the worker's dependencies. */
export type ChatNotifyDeps = Pick<ActivityDeps, 'orm' | 'logger'> & { config: Pick<ActivityDeps['config'], 'webhookSecret' | 'webhookAllowPrivateAddresses'> };

export const createChatNotifyActivities = ({ orm, config, logger }: ChatNotifyDeps) => ({
  /**
   * Posts `{ "text": … }` to the step's incoming-webhook URL, signed like a webhook and retried
   * the same way, then records the post in the ledger; a retry after that does nothing.
   */
  async notifyChat(input: ActionInput): Promise<ActionResult> {
    const em = orm.em.fork();
    await assertCampaignActive(em, input.campaignId);
    if (await findStepRun(em, input)) return { outcome: 'already_done' };

    const lead = await em.findOne(Lead, input.leadId);
    if (!lead) throw ApplicationFailure.nonRetryable('The lead no longer exists', 'LeadMissing');
    const campaign = await em.findOneOrFail(Campaign, input.campaignId);
    const settings = input.step as unknown as ChatNotifySettings;

    const text = renderChatText(settings.text, lead, campaign.name);
    const answer = await postSignedJson({
      url: settings.url,
      body: JSON.stringify({ text }),
      deliveryId: stepRunKey(input),
      secret: config.webhookSecret,
      allowPrivateAddresses: config.webhookAllowPrivateAddresses,
    });
    const ids = { leadId: input.leadId, campaignId: input.campaignId, stepId: input.stepId };
    if (!answer.delivered) {
      logger.warn({ msg: 'chat message not posted', reason: answer.reason, retry: answer.retry, ...ids });
      throw deliveryFailure(answer, CHAT_FAILURES, input.attempt);
    }
    await claimStepRun(em, input, { outcome: 'posted', status: answer.status });
    logger.info({ msg: 'chat message posted', status: answer.status, ...ids });
    return { outcome: 'posted' };
  },
});

/**
 * The message for this lead. The lead's values are escaped the way Slack asks (&, <, >), so a
 * name such as `<!channel>` is shown as written instead of notifying the whole channel. A
 * template that does not compile or render fails for good: retrying cannot fix it.
 */
export function renderChatText(template: string, lead: Lead, campaignName: string): string {
  const { lead: leadVars, campaign } = leadTemplateVariables(lead, { name: campaignName });
  const variables = { lead: escapeStrings(leadVars), campaign: escapeStrings(campaign) };
  try {
    // The text part of a template is rendered without HTML escaping, which is what chat needs.
    return renderTemplate({ subject: '', html: '', text: template }, variables).text.trim();
  } catch (error) {
    throw ApplicationFailure.nonRetryable((error as Error).message, 'TemplateInvalid');
  }
}

const escapeChat = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function escapeStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeChat(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => escapeStrings(item)) as T;
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeStrings(item)])) as T;
  return value;
}
