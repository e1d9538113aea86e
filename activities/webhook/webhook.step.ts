import { FlowProblem, nextOf, StepTypeDefinition } from '@ce/flows';

export const MAX_URL_LENGTH = 2048;
/** The static `data` as JSON, at most this many characters. */
export const MAX_DATA_LENGTH = 8_000;

/** The settings of a `webhook` step, once they have passed `validate`. */
export interface WebhookSettings {
  url: string;
  data?: Record<string, unknown>;
}

/** A problem with a receiver URL, or null when it is an http(s) URL of a sane length. */
export function checkReceiverUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) return `must be an http:// or https:// URL of at most ${MAX_URL_LENGTH} characters`;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'must be an http:// or https:// URL';
  } catch {
    return 'must be an http:// or https:// URL';
  }
}

/** `webhook`: POSTs the lead, signed, to another system. */
export const webhookStep: StepTypeDefinition = {
  type: 'webhook',
  kind: 'action',
  activity: 'deliverWebhook',
  description:
    'POSTs the lead as JSON to a URL, signed with HMAC-SHA256 (X-Campaign-Engine-Signature). Retried with backoff while the receiver fails; a 4xx answer ends the lead\'s path.',
  schema: {
    type: 'object',
    required: ['url'],
    properties: {
      url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: MAX_URL_LENGTH, description: 'Where to POST.' },
      data: { type: 'object', description: 'Static JSON sent along as `data`, e.g. the list or pipeline to add the lead to.' },
      next: { type: ['string', 'null'], description: 'The step after this one.' },
    },
    examples: [{ url: 'https://crm.example.com/hooks/campaign-engine', data: { pipeline: 'inbound' } }],
  },
  validate(step) {
    const problems: FlowProblem[] = [];
    const urlProblem = checkReceiverUrl(step.url);
    if (urlProblem) problems.push({ path: 'url', message: urlProblem });
    if (step.data !== undefined) {
      if (typeof step.data !== 'object' || step.data === null || Array.isArray(step.data))
        problems.push({ path: 'data', message: 'must be a JSON object' });
      else if (JSON.stringify(step.data).length > MAX_DATA_LENGTH)
        problems.push({ path: 'data', message: `must be at most ${MAX_DATA_LENGTH} characters as JSON` });
    }
    return problems;
  },
  successors: nextOf,
  describe: (step) => `POST the lead to ${hostOf(step.url)}`,
};

/** Only the host: a URL's path and query can carry a secret. */
export function hostOf(url: unknown): string {
  try {
    return new URL(String(url)).host;
  } catch {
    return 'an invalid URL';
  }
}
