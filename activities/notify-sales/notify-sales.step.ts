import { FlowProblem, nextOf, StepTypeDefinition } from '@ce/flows';

export const MAX_RECIPIENTS = 20;
export const MAX_MESSAGE_LENGTH = 5_000;
const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]]+\.[^\s@"<>(),;:\\[\]]{2,}$/;

/** The settings of a `notify_sales` step, once they have passed `validate`. */
export interface NotifySalesSettings {
  to: string[];
  message: string;
}

/** `notify_sales`: emails the sales team about the lead. */
export const notifySalesStep: StepTypeDefinition = {
  type: 'notify_sales',
  kind: 'action',
  activity: 'notifySales',
  description:
    'Emails the listed sales addresses about the lead: a plain-text message (a handlebars template with the lead\'s fields) and the lead\'s details.',
  schema: {
    type: 'object',
    required: ['to', 'message'],
    properties: {
      to: { type: 'array', minItems: 1, maxItems: MAX_RECIPIENTS, uniqueItems: true, items: { type: 'string', format: 'email' } },
      message: {
        type: 'string',
        minLength: 1,
        maxLength: MAX_MESSAGE_LENGTH,
        description: 'Plain text, a handlebars template: {{lead.firstName}}, {{lead.company}}, {{lead.score}}, {{campaign.name}}, …',
      },
      next: { type: ['string', 'null'], description: 'The step after this one.' },
    },
    examples: [{ to: ['sales@example.com'], message: '{{lead.firstName}} from {{lead.company}} asked for a demo.' }],
  },
  validate(step) {
    const problems: FlowProblem[] = [];
    if (!Array.isArray(step.to) || step.to.length === 0 || step.to.length > MAX_RECIPIENTS)
      problems.push({ path: 'to', message: `must list 1 to ${MAX_RECIPIENTS} email addresses` });
    else {
      const seen = new Set<string>();
      step.to.forEach((address, i) => {
        if (typeof address !== 'string' || address.length > 320 || !EMAIL.test(address))
          problems.push({ path: `to.${i}`, message: 'must be an email address' });
        else if (seen.has(address.toLowerCase())) problems.push({ path: `to.${i}`, message: 'is listed twice' });
        else seen.add(address.toLowerCase());
      });
    }
    if (typeof step.message !== 'string' || step.message.trim() === '' || step.message.length > MAX_MESSAGE_LENGTH)
      problems.push({ path: 'message', message: `must be text of 1 to ${MAX_MESSAGE_LENGTH} characters` });
    else if (!bracesBalanced(step.message)) problems.push({ path: 'message', message: 'has a {{ without its }} (or the other way round)' });
    return problems;
  },
  successors: nextOf,
  // The full handlebars check needs handlebars, which the workflow sandbox cannot load; the API does it.
  references: (step) => (typeof step.message === 'string' ? [{ kind: 'text_template', source: step.message, path: 'message' }] : []),
  describe: (step) => `email ${Array.isArray(step.to) ? step.to.join(', ') : 'sales'} about the lead`,
};

/**
 * A cheap check that every `{{` is closed before the next one opens (handlebars itself cannot
 * be loaded here: this file is bundled into the workflow sandbox). Anything subtler fails when
 * the step runs, as a non-retryable `TemplateInvalid`.
 */
function bracesBalanced(text: string): boolean {
  let open = false;
  for (const token of text.match(/\{\{|\}\}/g) ?? []) {
    if ((token === '{{') === open) return false;
    open = token === '{{';
  }
  return !open;
}
