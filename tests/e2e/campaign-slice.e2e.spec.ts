import type { ParsedMail } from 'mailparser';
import type { SmtpSink } from '../support/smtp-sink';
import { eventually, startStack, TestStack } from '../support/stack';

/**
 * The platform slice, through the public API only, on real PostgreSQL, a real Temporal dev
 * server and a real SMTP server: template → leads → flow → campaign → launch → mail →
 * click → conversion → report.
 */
describe('a campaign from creation to ROI', () => {
  let smtp: SmtpSink;
  let stack: TestStack;
  let marketer: string;
  let analyst: string;

  beforeAll(async () => {
    stack = await startStack({ smtp: true });
    smtp = stack.smtp!;
    const admin = await stack.key('admin');
    // Keys are made through the API, the way an admin would.
    const made = await stack.call('POST', '/v1/api-keys', { key: admin, body: { name: 'marketing', role: 'marketer' } });
    expect(made.status).toBe(201);
    marketer = made.body.key;
    analyst = (await stack.call('POST', '/v1/api-keys', { key: admin, body: { name: 'analysis', role: 'analyst' } })).body.key;
  });

  afterAll(() => stack?.stop());

  it('sends each lead exactly the flow\'s messages, tracks the click and reports ROI', async () => {
    const template = await stack.call('POST', '/v1/templates', {
      key: marketer,
      body: {
        name: 'Welcome',
        subject: 'Welcome, {{lead.firstName}}!',
        html: '<p>Hi {{lead.firstName}},</p><p><a href="https://shop.example.com/start?plan=pro&amp;ref=mail">Start</a> or <a href="https://docs.example.com/">read the docs</a>.</p>',
      },
    });
    expect(template.status).toBe(201);

    const subscribed = { email: 'subscribed' };
    const ada = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: 'Ada@Example.com', firstName: 'Ada', consent: subscribed } });
    const alan = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: 'alan@example.org', firstName: 'Alan', consent: subscribed } });
    // Carol never agreed to email: she is in the audience but must not be enrolled or mailed.
    const carol = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: 'carol@example.net', firstName: 'Carol' } });
    expect([ada.status, alan.status, carol.status]).toEqual([201, 201, 201]);
    expect(ada.body.email).toBe('ada@example.com');

    const flow = await stack.call('POST', '/v1/flows', {
      key: marketer,
      body: {
        name: 'Two-touch welcome',
        definition: {
          entry: 'welcome',
          steps: {
            welcome: { type: 'send_email', templateId: template.body.id, next: 'pause' },
            pause: { type: 'wait', duration: '2s', next: 'reminder' },
            reminder: { type: 'send_email', templateId: template.body.id },
          },
        },
      },
    });
    expect(flow.status).toBe(201);

    const campaign = await stack.call('POST', '/v1/campaigns', {
      key: marketer,
      body: {
        name: 'Welcome series',
        flowId: flow.body.id,
        channel: 'email',
        audience: { leadIds: [ada.body.id, alan.body.id, carol.body.id] },
        currency: 'USD',
        cost: { amount: '100.00' },
      },
    });
    expect(campaign.status).toBe(201);
    expect(campaign.body.status).toBe('draft');

    const launched = await stack.call('POST', `/v1/campaigns/${campaign.body.id}/launch`, { key: marketer });
    expect(launched.status).toBe(202);
    expect(launched.body.flowVersion).toBe(1);
    const again = await stack.call('POST', `/v1/campaigns/${campaign.body.id}/launch`, { key: marketer });
    expect(again.status).toBe(409);

    // Two leads × two sends. Wait for all four, then for the enrollments to finish, so that a
    // fifth message would have had every chance to arrive.
    await smtp.waitFor(4);
    await eventually(async () => {
      const report = await stack.call('GET', `/v1/campaigns/${campaign.body.id}/report`, { key: analyst });
      return report.body.sent === 4 ? report : undefined;
    });
    const running = await eventually(async () => {
      const c = await stack.call('GET', `/v1/campaigns/${campaign.body.id}`, { key: marketer });
      return c.body.status === 'running' ? c : undefined;
    });
    expect(running.body.audienceSize).toBe(3);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(smtp.messages).toHaveLength(4);

    const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0].address;
    const byRecipient = (address: string) => smtp.messages.filter((m) => to(m) === address);
    expect(byRecipient('ada@example.com')).toHaveLength(2);
    expect(byRecipient('alan@example.org')).toHaveLength(2);
    expect(byRecipient('carol@example.net')).toHaveLength(0);
    for (const mail of byRecipient('ada@example.com')) expect(mail.subject).toBe('Welcome, Ada!');
    for (const mail of byRecipient('alan@example.org')) expect(mail.subject).toBe('Welcome, Alan!');

    // Every link is a signed tracking link on the API; the original never appears as a link.
    const adaMail = byRecipient('ada@example.com')[0];
    const html = String(adaMail.html);
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    // The template's two links, tracked, and the unsubscribe link every message carries.
    const hrefs = links.filter((href) => href.startsWith(`${stack.baseUrl}/t/c/`));
    expect(hrefs).toHaveLength(2);
    expect(links.filter((href) => href.startsWith(`${stack.baseUrl}/t/u/`))).toHaveLength(1);
    expect(links).toHaveLength(3);
    expect(html).not.toContain('href="https://shop.example.com');
    expect(adaMail.text).toContain(`${stack.baseUrl}/t/c/`);

    // Following the link records a click and lands on the original address.
    const click = await fetch(hrefs[0], { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://shop.example.com/start?plan=pro&ref=mail');
    const forged = await fetch(hrefs[0].slice(0, -2) + 'xx', { redirect: 'manual' });
    expect(forged.status).toBe(404);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');

    const conversion = await stack.call('POST', '/v1/conversions', {
      key: marketer,
      body: { leadId: ada.body.id, value: '250.00', currency: 'USD', externalId: `order-${campaign.body.id}` },
    });
    expect(conversion.status).toBe(201);
    expect(conversion.body.campaignId).toBe(campaign.body.id);
    // The same order again records nothing new.
    const replay = await stack.call('POST', '/v1/conversions', {
      key: marketer,
      body: { leadId: ada.body.id, value: '250.00', currency: 'USD', externalId: `order-${campaign.body.id}` },
    });
    expect(replay.body.id).toBe(conversion.body.id);

    // The worker attributes the conversion under every rule-based model: the click is Ada's only
    // touchpoint, so each model gives it the whole conversion and its 250.00.
    // (Markov and Shapley credits come too if another test has computed their weights already.)
    const credits = await eventually(async () => {
      const rows = await stack.sql<{ model: string; channel: string; campaign_id: string; credit: number; revenue_minor: string }>(
        `select model, channel, campaign_id, credit, revenue_minor from attribution_credits
         where conversion_id = ? and model not in ('markov', 'shapley') order by model`,
        [conversion.body.id],
      );
      return rows.length === 7 ? rows : undefined;
    });
    expect(credits.map((c) => c.model)).toEqual(['first_touch', 'last_non_direct', 'last_touch', 'linear', 'position_based', 'time_decay', 'w_shaped']);
    for (const c of credits) expect(c).toEqual({ model: c.model, channel: 'email', campaign_id: campaign.body.id, credit: 1, revenue_minor: '25000' });

    // An analyst recomputes the data-driven models on demand: channel weights appear, and the
    // conversion gets its Markov and Shapley credits too.
    expect((await stack.call('POST', '/v1/attribution/refresh', { key: marketer })).status).toBe(403);
    const refresh = await stack.call('POST', '/v1/attribution/refresh', { key: analyst });
    expect(refresh.status).toBe(202);
    expect(refresh.body.workflowId).toBe('attribution-refresh');
    const dataDriven = await eventually(async () => {
      const rows = await stack.sql<{ model: string; credit: number; revenue_minor: string }>(
        `select model, credit, revenue_minor from attribution_credits where conversion_id = ? and model in ('markov', 'shapley') order by model`,
        [conversion.body.id],
      );
      return rows.length === 2 ? rows : undefined;
    }, 60_000);
    expect(dataDriven).toEqual([
      { model: 'markov', credit: 1, revenue_minor: '25000' },
      { model: 'shapley', credit: 1, revenue_minor: '25000' },
    ]);
    const weights = await stack.call('GET', '/v1/attribution/weights', { key: analyst });
    expect(weights.body).toEqual(expect.arrayContaining([expect.objectContaining({ model: 'markov', channel: 'email' }), expect.objectContaining({ model: 'shapley', channel: 'email' })]));

    // The report reads the roll-ups: two enrolled, four delivered, Ada's click (her first touch: a
    // new lead, reached and engaged) and her conversion, credited to the click under last touch.
    const report = await stack.call('GET', `/v1/campaigns/${campaign.body.id}/report`, { key: analyst });
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      campaignId: campaign.body.id,
      currency: 'USD',
      from: null,
      to: null,
      conversions: 1,
      revenue: '250.00',
      cost: '100.00',
      roi: 1.5,
      roas: 2.5,
      costPerAcquisition: '100.00',
      enrolled: 2,
      delivered: 4,
      opened: 0,
      clicked: 1,
      engaged: 1,
      engagementRate: 0.25,
      reached: 1,
      leads: 1,
      conversionRate: 1,
      costPerLead: '100.00',
      sent: 4,
      converted: 1,
      attribution: 'last_touch',
    });
    // Under another model the click has the whole conversion too; a range before the campaign has nothing.
    const linear = await stack.call('GET', `/v1/campaigns/${campaign.body.id}/report?model=linear`, { key: analyst });
    expect(linear.body).toEqual({ ...report.body, attribution: 'linear' });
    const before = await stack.call('GET', `/v1/campaigns/${campaign.body.id}/report?from=2000-01-01&to=2000-12-31`, { key: analyst });
    expect(before.body).toMatchObject({ from: '2000-01-01', to: '2000-12-31', enrolled: 0, delivered: 0, reached: 0, conversions: 0, revenue: '0.00', cost: '0.00', roi: null });
    const bad = await stack.call('GET', `/v1/campaigns/${campaign.body.id}/report?model=u_shaped`, { key: analyst });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['model']);
  });
});
