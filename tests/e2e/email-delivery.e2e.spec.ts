import type { SmtpSink } from '../support/smtp-sink';
import { eventually, startStack, TestStack } from '../support/stack';

/**
 * How campaign email meets a real mail server's answers, through the public API: a hard bounce
 * ends the lead's email for good, a "try later" is tried later and delivered once, and a
 * campaign's own send rate spaces its messages out.
 */
describe('email delivery policy', () => {
  let stack: TestStack;
  let smtp: SmtpSink;
  let key: string;
  let templateId: string;
  const tag = `d${Date.now().toString(36)}`;

  /** Accepted and refused messages the server received for an address, in order (no dedup). */
  const answersTo = (address: string) => smtp.receptions.filter((r) => r.to.includes(address)).map((r) => r.answer);

  async function lead(name: string): Promise<{ id: string; email: string }> {
    const made = await stack.call('POST', '/v1/leads', { key, body: { email: `${name}-${tag}@example.com`, firstName: name, consent: { email: 'subscribed' } } });
    expect(made.status).toBe(201);
    return { id: made.body.id, email: made.body.email };
  }

  /** Launches a one-email campaign to the leads and waits until every enrollment has ended. */
  async function sendCampaign(name: string, leadIds: string[], settings: Record<string, unknown> = {}): Promise<string> {
    const flow = await stack.call('POST', '/v1/flows', {
      key,
      body: { name, definition: { entry: 'hello', steps: { hello: { type: 'send_email', templateId } } } },
    });
    const campaign = await stack.call('POST', '/v1/campaigns', {
      key,
      body: { name: `${name} ${tag}`, flowId: flow.body.id, channel: 'email', audience: { leadIds }, ...settings },
    });
    expect(campaign.status).toBe(201);
    expect((await stack.call('POST', `/v1/campaigns/${campaign.body.id}/launch`, { key })).status).toBe(202);
    await eventually(async () => {
      const [row] = await stack.sql<{ launched: boolean; active: number }>(
        `select c.status not in ('draft', 'scheduled', 'launching') as launched,
                (select count(*)::int from enrollments e where e.campaign_id = c.id and e.status = 'active') as active
         from campaigns c where c.id = ?`,
        [campaign.body.id],
      );
      return row.launched && row.active === 0 ? row : undefined;
    }, 90_000, `campaign ${name} to finish`);
    return campaign.body.id;
  }

  beforeAll(async () => {
    stack = await startStack({ smtp: true });
    smtp = stack.smtp!;
    key = await stack.key('marketer');
    const template = await stack.call('POST', '/v1/templates', { key, body: { name: 'Note', subject: 'A note for {{lead.firstName}}', html: '<p>Hello</p>' } });
    templateId = template.body.id;
  });

  afterAll(() => stack?.stop());

  it('marks a lead bounced when the server refuses its address for good, and mails it no more', async () => {
    const gone = await lead('gone');
    const here = await lead('here');
    smtp.refuse(gone.email, { at: 'rcpt', reply: 550 });

    const first = await sendCampaign('bounce', [gone.id, here.id]);
    expect(answersTo(here.email)).toEqual([250]);
    expect(answersTo(gone.email)).toEqual([]);

    const after = (await stack.call('GET', `/v1/leads/${gone.id}`, { key })).body;
    expect(after.consent.email).toMatchObject({ status: 'bounced', source: 'bounce' });
    const [enrollment] = await stack.sql<{ status: string; end_reason: string }>(
      'select status, end_reason from enrollments where campaign_id = ? and lead_id = ?',
      [first, gone.id],
    );
    expect(enrollment).toEqual({ status: 'exited', end_reason: 'hello:PermanentBounce' });
    const timeline = (await stack.call('GET', `/v1/leads/${gone.id}/timeline`, { key })).body;
    expect(JSON.stringify(timeline)).toContain('consent_changed');

    // A later campaign to both reaches only the lead whose address works.
    await sendCampaign('after the bounce', [gone.id, here.id]);
    expect(answersTo(here.email)).toEqual([250, 250]);
    expect(answersTo(gone.email)).toEqual([]);
  });

  it('tries again after a temporary refusal and delivers the message once', async () => {
    const busy = await lead('busy');
    // The server takes the whole message, then says "try later" — once.
    smtp.refuse(busy.email, { at: 'data', reply: 451, times: 1 });

    const campaignId = await sendCampaign('deferred', [busy.id]);
    expect(answersTo(busy.email)).toEqual([451, 250]);
    const messages = await stack.sql<{ status: string }>('select status from messages where campaign_id = ?', [campaignId]);
    expect(messages).toEqual([{ status: 'sent' }]);
    const report = (await stack.call('GET', `/v1/campaigns/${campaignId}/report`, { key })).body;
    expect(report.sent).toBe(1);
  });

  it("spaces a campaign's messages by its own send rate", async () => {
    const readers = await Promise.all(['r1', 'r2', 'r3', 'r4'].map(lead));
    // 300 a minute: a slot every 200 ms.
    const campaignId = await sendCampaign('paced', readers.map((r) => r.id), { sendRatePerMinute: 300 });
    for (const reader of readers) expect(answersTo(reader.email)).toEqual([250]);

    const slots = await stack.sql<{ not_before: string }>(
      "select not_before from messages where campaign_id = ? and status = 'sent' order by not_before",
      [campaignId],
    );
    expect(slots).toHaveLength(readers.length);
    const times = slots.map((s) => new Date(s.not_before).getTime());
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(200);
  });
});
