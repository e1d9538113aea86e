import type { SmtpSink } from '../support/smtp-sink';
import { eventually, startStack, TestStack } from '../support/stack';

/** Every message carries a one-click unsubscribe (RFC 8058) that a link scanner cannot trigger. */
describe('unsubscribing from a campaign email', () => {
  let smtp: SmtpSink;
  let stack: TestStack;
  let key: string;
  const tag = `u${Date.now().toString(36)}`;

  beforeAll(async () => {
    stack = await startStack({ smtp: true });
    smtp = stack.smtp!;
    key = await stack.key('marketer');
  });

  afterAll(() => stack?.stop());

  it('shows a page on GET, unsubscribes on POST, and sends nothing more', async () => {
    const template = await stack.call('POST', '/v1/templates', { key, body: { name: 't', subject: 'News', html: '<html><body><p>Hi</p></body></html>' } });
    const lead = await stack.call('POST', '/v1/leads', { key, body: { email: `reader-${tag}@example.com`, consent: { email: 'subscribed' } } });
    const flow = await stack.call('POST', '/v1/flows', {
      key,
      body: {
        name: 'two mails',
        definition: {
          entry: 'first',
          steps: {
            first: { type: 'send_email', templateId: template.body.id, next: 'pause' },
            pause: { type: 'wait', duration: '3s', next: 'second' },
            second: { type: 'send_email', templateId: template.body.id },
          },
        },
      },
    });
    const campaign = await stack.call('POST', '/v1/campaigns', {
      key,
      body: { name: `news ${tag}`, flowId: flow.body.id, channel: 'email', audience: { leadIds: [lead.body.id] } },
    });
    expect((await stack.call('POST', `/v1/campaigns/${campaign.body.id}/launch`, { key })).status).toBe(202);

    const [mail] = await smtp.waitFor(1);
    const raw = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n\s+/g, '') ?? '';
    const link = /^List-Unsubscribe:\s*<(.+)>$/i.exec(raw('list-unsubscribe'))?.[1] ?? '';
    expect(link.startsWith(`${stack.baseUrl}/t/u/`)).toBe(true);
    expect(raw('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    // The visible link in the body is the same, and it is not click-tracked.
    expect(String(mail.html)).toContain(`href="${link}"`);
    expect(String(mail.html).indexOf('Unsubscribe')).toBeLessThan(String(mail.html).indexOf('</body>'));

    // Opening the link (as a scanner would) only shows a page.
    const opened = await fetch(link);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toContain('text/html');
    expect(await opened.text()).toContain('<form method="post">');
    expect((await stack.call('GET', `/v1/leads/${lead.body.id}`, { key })).body.consent.email.status).toBe('subscribed');

    const posted = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(posted.status).toBe(200);
    const after = (await stack.call('GET', `/v1/leads/${lead.body.id}`, { key })).body;
    expect(after.consent.email).toMatchObject({ status: 'unsubscribed', source: 'unsubscribe_link' });

    // The journey ends: the second email never goes out.
    const [enrollment] = await eventually(async () => {
      const rows = await stack.sql<{ status: string; end_reason: string }>('select status, end_reason from enrollments where lead_id = ?', [lead.body.id]);
      return rows[0]?.status === 'exited' ? rows : undefined;
    });
    expect(enrollment.end_reason).toBe('unsubscribed');
    await new Promise((r) => setTimeout(r, 4_000));
    expect(smtp.messages).toHaveLength(1);
  });

  it('answers a forged link with 404 and a form body elsewhere with 4xx', async () => {
    const forged = await fetch(`${stack.baseUrl}/t/u/bm90LWEtdG9rZW4.c2lnbmF0dXJl`, { method: 'POST' });
    expect(forged.status).toBe(404);
    const form = await fetch(`${stack.baseUrl}/v1/templates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x&subject=y',
    });
    expect(form.status).toBe(400);
  });
});
