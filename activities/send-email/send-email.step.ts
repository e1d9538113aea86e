import { FlowProblem, nextOf, StepTypeDefinition } from '@ce/flows';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `send_email`: sends one template to the lead, once, with tracked links. */
export const sendEmailStep: StepTypeDefinition = {
  type: 'send_email',
  kind: 'action',
  activity: 'sendEmail',
  batchActivity: 'sendEmails',
  queue: 'email',
  schema: {
    type: 'object',
    required: ['templateId'],
    properties: {
      templateId: { type: 'string', format: 'uuid', description: 'The email template to send.' },
      next: { type: ['string', 'null'], description: 'The step after this one.' },
    },
  },
  description: 'Sends an email template to the lead. Links are tracked; unsubscribed leads are skipped.',
  validate(step) {
    const problems: FlowProblem[] = [];
    if (typeof step.templateId !== 'string' || !UUID.test(step.templateId))
      problems.push({ path: 'templateId', message: 'must be the id (UUID) of a template' });
    return problems;
  },
  successors: nextOf,
  describe: (step) => `send template ${String(step.templateId)}`,
  references: (step) => (typeof step.templateId === 'string' && UUID.test(step.templateId)
    ? [{ kind: 'template', id: step.templateId, path: 'templateId' }]
    : []),
};
