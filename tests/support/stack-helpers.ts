import type { TestStack } from './stack';

/** What `makeEmailCampaign` made: the ids a test uses, and that `removeEmailCampaign` deletes. */
export interface EmailCampaign {
  templateId: string;
  flowId: string;
  campaignId: string;
}

/**
 * A draft campaign on the email channel for these leads, with what it needs made first: a
 * template and a published flow of one step that sends it. The template and the flow are named
 * after the campaign. Fails with the API's answer when any of the three is refused.
 */
export async function makeEmailCampaign(
  stack: TestStack,
  key: string,
  campaign: { name: string; leadIds: string[]; currency?: string },
): Promise<EmailCampaign> {
  const post = async (what: string, path: string, body: unknown): Promise<string> => {
    const made = await stack.call('POST', path, { key, body });
    if (made.status !== 201) throw new Error(`making the ${what} answered ${made.status}: ${JSON.stringify(made.body)}`);
    return made.body.id as string;
  };
  const { name, leadIds, currency } = campaign;
  const templateId = await post('template', '/v1/templates', { name: `${name} template`, subject: 'Hello', html: '<p>Hi</p>' });
  const flowId = await post('flow', '/v1/flows', {
    name: `${name} flow`,
    definition: { entry: 'hello', steps: { hello: { type: 'send_email', templateId } } },
  });
  const campaignId = await post('campaign', '/v1/campaigns', {
    name,
    flowId,
    channel: 'email',
    audience: { leadIds },
    ...(currency ? { currency } : {}),
  });
  return { templateId, flowId, campaignId };
}

/** Deletes the campaign, its flow and its template, straight in the database. */
export async function removeEmailCampaign(stack: TestStack, made: EmailCampaign): Promise<void> {
  await stack.sql('delete from campaigns where id = ?', [made.campaignId]);
  await stack.sql('delete from flows where id = ?', [made.flowId]);
  await stack.sql('delete from templates where id = ?', [made.templateId]);
}
