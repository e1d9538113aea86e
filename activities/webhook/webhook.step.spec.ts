import { WebhookDeps, createWebhookActivities } from './webhook.activity';
import { webhookStep } from './webhook.step';

const step = (settings: Record<string, unknown>) => ({ type: 'webhook', ...settings });
const paths = (settings: Record<string, unknown>) => webhookStep.validate(step(settings)).map((p) => p.path);

describe('webhook settings', () => {
  it('accepts an http or https URL with optional static data', () => {
    expect(webhookStep.validate(step({ url: 'https://crm.example.com/hooks/ce', data: { pipeline: 'inbound' } }))).toEqual([]);
    expect(webhookStep.validate(step({ url: 'http://10.0.0.5:8080/in' }))).toEqual([]);
  });

  it.each([undefined, '', 'crm.example.com/hook', 'ftp://example.com/x', 'javascript:alert(1)', `https://example.com/${'a'.repeat(2048)}`])(
    'refuses the URL %p',
    (url) => {
      expect(paths({ url })).toEqual(['url']);
    },
  );

  it('refuses data that is not a JSON object, or too large', () => {
    expect(paths({ url: 'https://example.com', data: [1, 2] })).toEqual(['data']);
    expect(paths({ url: 'https://example.com', data: 'text' })).toEqual(['data']);
    expect(paths({ url: 'https://example.com', data: { blob: 'x'.repeat(8_000) } })).toEqual(['data']);
  });

  it('describes the receiver by its host only: paths and queries can hold secrets', () => {
    expect(webhookStep.describe!(step({ url: 'https://crm.example.com/hooks/ce?token=s3cret' }))).toBe('POST the lead to crm.example.com');
  });

  it('names the activity its factory builds', () => {
    // The factory only keeps its dependencies until an activity runs, so none are needed here.
    expect(Object.keys(createWebhookActivities({} as WebhookDeps))).toEqual([webhookStep.activity]);
  });
});
