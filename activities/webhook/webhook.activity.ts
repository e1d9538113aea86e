import { ApplicationFailure } from '@temporalio/activity';
import type { ActionInput, ActionResult } from '@ce/contracts';
import { Lead } from '@ce/db';
import { assertCampaignActive } from '../campaign-guard';
import type { ActivityDeps } from '../deps';
import { claimStepRun, findStepRun, stepRunKey } from '../step-ledger';
import { deliveryFailure, postSignedJson } from './webhook-delivery';
import type { WebhookSettings } from './webhook.step';

export const WEBHOOK_FAILURES = { rejected: 'WebhookRejected', failed: 'WebhookFailed' };

/** What a webhook receiver gets. `deliveryId` is the same on every retry: receivers dedupe on it. */
export interface WebhookPayload {
  deliveryId: string;
  campaignId: string;
  stepId: string;
  lead: {
    id: string;
    email: string;
    firstName: string | null;
    lastName: string | null;
    company: string | null;
    lifecycleStage: string;
    score: number;
    attributes: Record<string, unknown>;
  };
  data: Record<string, unknown> | null;
  sentAt: string;
}

/** What the step needs from the worker's dependencies. */
export type WebhookDeps = Pick<ActivityDeps, 'orm' | 'logger'> & { config: Pick<ActivityDeps['config'], 'webhookSecret' | 'webhookAllowPrivateAddresses'> };

export const createWebhookActivities = ({ orm, config, logger }: WebhookDeps) => ({
  /**
   * POSTs the lead to the step's URL until the receiver answers 2xx, then records the delivery
   * in the ledger; a retry after that does nothing. Delivery is at least once: a receiver that
   * succeeded but whose answer was lost gets the same `deliveryId` again.
   */
  async deliverWebhook(input: ActionInput): Promise<ActionResult> {
    const em = orm.em.fork();
    await assertCampaignActive(em, input.campaignId);
    if (await findStepRun(em, input)) return { outcome: 'already_done' };

    const lead = await em.findOne(Lead, input.leadId);
    if (!lead) throw ApplicationFailure.nonRetryable('The lead no longer exists', 'LeadMissing');
    const settings = input.step as unknown as WebhookSettings;
    const deliveryId = stepRunKey(input);
    const payload: WebhookPayload = {
      deliveryId,
      campaignId: input.campaignId,
      stepId: input.stepId,
      lead: {
        id: lead.id,
        email: lead.email,
        firstName: lead.firstName,
        lastName: lead.lastName,
        company: lead.company,
        lifecycleStage: lead.lifecycleStage,
        score: lead.score,
        attributes: lead.attributes,
      },
      data: settings.data ?? null,
      sentAt: new Date().toISOString(),
    };

    const answer = await postSignedJson({ url: settings.url, body: JSON.stringify(payload), deliveryId, secret: config.webhookSecret, allowPrivateAddresses: config.webhookAllowPrivateAddresses });
    const ids = { leadId: input.leadId, campaignId: input.campaignId, stepId: input.stepId };
    if (!answer.delivered) {
      logger.warn({ msg: 'webhook not delivered', reason: answer.reason, retry: answer.retry, ...ids });
      throw deliveryFailure(answer, WEBHOOK_FAILURES, input.attempt);
    }
    await claimStepRun(em, input, { outcome: 'delivered', status: answer.status });
    logger.info({ msg: 'webhook delivered', status: answer.status, ...ids });
    return { outcome: 'delivered' };
  },
});
