import { FlowProblem, nextOf, StepTypeDefinition } from '@ce/flows';
import { checkReceiverUrl, hostOf, MAX_URL_LENGTH } from '../webhook/webhook.step';

export const MAX_TEXT_LENGTH = 4_000;

/** The settings of a `chat_notify` step, once they have passed `validate`. */
export interface ChatNotifySettings {
  url: string;
  text: string;
}

/** `chat_notify`: posts a message to a chat channel through an incoming webhook (Slack, Mattermost, …). */
export const chatNotifyStep: StepTypeDefinition = {
  type: 'chat_notify',
  kind: 'action',
  activity: 'notifyChat',
  description:
    'Posts a message about the lead to a chat channel through a Slack- or Mattermost-style incoming webhook ({"text": …}). The text is a handlebars template with the lead\'s fields.',
  schema: {
    type: 'object',
    required: ['url', 'text'],
    properties: {
      url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: MAX_URL_LENGTH, description: 'The incoming-webhook URL of the channel.' },
      text: {
        type: 'string',
        minLength: 1,
        maxLength: MAX_TEXT_LENGTH,
        description: 'The message, a handlebars template: {{lead.firstName}}, {{lead.company}}, {{lead.score}}, {{campaign.name}}, …',
      },
      next: { type: ['string', 'null'], description: 'The step after this one.' },
    },
    examples: [{ url: 'https://hooks.slack.com/services/T000/B000/XXXX', text: 'New MQL: {{lead.firstName}} {{lead.lastName}} ({{lead.company}})' }],
  },
  validate(step) {
    const problems: FlowProblem[] = [];
    const urlProblem = checkReceiverUrl(step.url);
    if (urlProblem) problems.push({ path: 'url', message: urlProblem });
    if (typeof step.text !== 'string' || step.text.trim() === '' || step.text.length > MAX_TEXT_LENGTH)
      problems.push({ path: 'text', message: `must be text of 1 to ${MAX_TEXT_LENGTH} characters` });
    else if (!bracesBalanced(step.text)) problems.push({ path: 'text', message: 'has a {{ without its }} (or the other way round)' });
    return problems;
  },
  successors: nextOf,
  // The full handlebars check needs handlebars, which the workflow sandbox cannot load; the API does it.
  references: (step) => (typeof step.text === 'string' ? [{ kind: 'text_template', source: step.text, path: 'text' }] : []),
  describe: (step) => `post a chat message to ${hostOf(step.url)}: "${String(step.text)}"`,
};

/**
 * A cheap check that every `{{` is closed before the next one opens. The full template check
 * needs handlebars, which this file cannot load: it is bundled into the workflow sandbox.
 * Anything subtler fails when the step runs, as a non-retryable `TemplateInvalid`.
 */
function bracesBalanced(text: string): boolean {
  let open = false;
  for (const token of text.match(/\{\{|\}\}/g) ?? []) {
    if (token === '{{' && open) return false;
    if (token === '}}' && !open) return false;
    open = token === '{{';
  }
  return !open;
}
