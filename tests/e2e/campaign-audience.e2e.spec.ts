import type { ParsedMail } from 'mailparser';
import type { SmtpSink } from '../support/smtp-sink';
import { eventually, startStack, TestStack } from '../support/stack';

/** A campaign aimed at a segment: membership is snapshotted at launch and consent is honoured. */
describe('a campaign whose audience is a segment', () => {
  let smtp: SmtpSink;
  let stack: TestStack;
  let key: string;
  const tag = `a${Date.now().toString(36)}`;
  const plan = `plan_${tag}`;

  beforeAll(async () => {
    stack = await startStack({ smtp: true });
    smtp = stack.smtp!;
    key = await stack.key('marketer');
  });

  afterAll(() => stack?.stop());

  it('enrolls the segment members who consent to email, as they were at launch', async () => {
    const declared = await stack.call('POST', '/v1/attribute-definitions', { key, body: { name: plan, type: 'enum', options: ['free', 'pro'] } });
    expect(declared.status).toBe(201);
    const lead = async (name: string, tier: string, consent: string) => {
      const response = await stack.call('POST', '/v1/leads', {
        key,
        body: { email: `${name}-${tag}@example.com`, firstName: name, attributes: { [plan]: tier }, consent: { email: consent } },
      });
      expect(response.status).toBe(201);
      return response.body.id as string;
    };
    await lead('pro-subscribed', 'pro', 'subscribed');
    await lead('pro-unsubscribed', 'pro', 'unsubscribed');
    await lead('free-subscribed', 'free', 'subscribed');

    const segment = await stack.call('POST', '/v1/segments', {
      key,
      body: { name: `Pro ${tag}`, kind: 'dynamic', definition: { attribute: plan, op: 'eq', value: 'pro' } },
    });
    expect(segment.status).toBe(201);
    const template = await stack.call('POST', '/v1/templates', { key, body: { name: 't', subject: 'Hello {{lead.firstName}}', html: '<p>Hi</p>' } });
    const flow = await stack.call('POST', '/v1/flows', {
      key,
      body: { name: 'one mail', definition: { entry: 'hello', steps: { hello: { type: 'send_email', templateId: template.body.id } } } },
    });
    const campaign = await stack.call('POST', '/v1/campaigns', {
      key,
      body: { name: `Pro push ${tag}`, flowId: flow.body.id, channel: 'email', audience: { segmentId: segment.body.id } },
    });
    expect(campaign.status).toBe(201);
    expect(campaign.body.segmentId).toBe(segment.body.id);

    expect((await stack.call('POST', `/v1/campaigns/${campaign.body.id}/launch`, { key })).status).toBe(202);
    const running = await eventually(async () => {
      const c = await stack.call('GET', `/v1/campaigns/${campaign.body.id}`, { key });
      return c.body.status === 'running' ? c : undefined;
    });
    // Both pro leads are in the snapshot; only the one who consents is enrolled.
    expect(running.body.audienceSize).toBe(2);
    await smtp.waitFor(1);
    // A pro lead who arrives after launch is not in the snapshot.
    await lead('pro-late', 'pro', 'subscribed');
    await eventually(async () => {
      const report = await stack.call('GET', `/v1/campaigns/${campaign.body.id}/report`, { key });
      return report.body.sent === 1 ? report : undefined;
    });
    await new Promise((r) => setTimeout(r, 1_000));
    const report = await stack.call('GET', `/v1/campaigns/${campaign.body.id}/report`, { key });
    expect(report.body).toMatchObject({ enrolled: 1, sent: 1 });
    const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0].address;
    expect(smtp.messages.map(to)).toEqual([`pro-subscribed-${tag}@example.com`]);
  });

  it('refuses an audience naming both leads and a segment, or neither', async () => {
    const both = await stack.call('POST', '/v1/campaigns', {
      key,
      body: {
        name: 'x',
        flowId: '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21',
        channel: 'email',
        audience: { leadIds: ['0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21'], segmentId: '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21' },
      },
    });
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([{ path: 'audience', message: 'give either leadIds or segmentId' }]);
    const neither = await stack.call('POST', '/v1/campaigns', {
      key,
      body: { name: 'x', flowId: '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21', channel: 'email', audience: {} },
    });
    expect(neither.status).toBe(400);
    expect(neither.body.errors).toEqual([{ path: 'audience', message: 'give either leadIds or segmentId' }]);
  });
});
