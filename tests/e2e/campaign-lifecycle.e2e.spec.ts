import type { SmtpSink } from '../support/smtp-sink';
import { eventually, startStack, TestStack } from '../support/stack';

/**
 * A campaign's life through the API on real PostgreSQL, Temporal and SMTP: scheduled launch,
 * pause and resume, cancel, end date, exit rules, adding leads with a re-enrollment policy,
 * progress, and a lead's journey.
 */
describe('campaign lifecycle', () => {
  let stack: TestStack;
  let smtp: SmtpSink;
  let key: string;
  let templateId: string;
  const tag = `l${Date.now().toString(36)}`;
  let seq = 0;

  beforeAll(async () => {
    stack = await startStack({ smtp: true });
    smtp = stack.smtp!;
    key = await stack.key('marketer');
    const template = await stack.call('POST', '/v1/templates', { key, body: { name: 'life', subject: 'Hello {{lead.firstName}}', html: '<p>Hi</p>' } });
    templateId = template.body.id;
  });

  afterAll(() => stack?.stop());

  async function leads(count: number): Promise<{ id: string; email: string }[]> {
    const made = [];
    for (let i = 0; i < count; i++) {
      const email = `life-${tag}-${seq++}@example.com`;
      const res = await stack.call('POST', '/v1/leads', { key, body: { email, firstName: 'Ada', consent: { email: 'subscribed' } } });
      expect(res.status).toBe(201);
      made.push({ id: res.body.id, email });
    }
    return made;
  }

  async function campaign(definition: object, leadIds: string[], extra: object = {}): Promise<string> {
    const flow = await stack.call('POST', '/v1/flows', { key, body: { name: `flow ${tag}`, definition } });
    expect(flow.status).toBe(201);
    const res = await stack.call('POST', '/v1/campaigns', {
      key,
      body: { name: `campaign ${tag} ${seq++}`, flowId: flow.body.id, channel: 'email', audience: { leadIds }, ...extra },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const received = (email: string) => smtp.messages.filter((m) => m.to && JSON.stringify(m.to).includes(email)).length;
  const enrollments = (campaignId: string) =>
    stack.sql<{ lead_id: string; status: string; end_reason: string | null; sequence: number }>(
      'select lead_id, status, end_reason, sequence from enrollments where campaign_id = ? order by lead_id, sequence',
      [campaignId],
    );
  const allEnded = (campaignId: string, count: number) =>
    eventually(async () => {
      const rows = await enrollments(campaignId);
      return rows.length === count && rows.every((r) => r.status !== 'active') ? rows : undefined;
    }, 60_000, 'every journey to end');

  const twoMails = (wait: string) => ({
    entry: 'welcome',
    steps: {
      welcome: { type: 'send_email', templateId, next: 'pause' },
      pause: { type: 'wait', duration: wait, next: 'reminder' },
      reminder: { type: 'send_email', templateId },
    },
  });

  it('launches at the scheduled time, not before', async () => {
    const [lead] = await leads(1);
    const id = await campaign(twoMails('1s'), [lead.id]);
    const at = new Date(Date.now() + 4_000).toISOString();
    const launched = await stack.call('POST', `/v1/campaigns/${id}/launch`, { key, body: { at } });
    expect(launched.status).toBe(202);
    expect(launched.body).toMatchObject({ status: 'scheduled', scheduledAt: at, flowVersion: null });
    expect((await enrollments(id)).length).toBe(0);

    await allEnded(id, 1);
    const after = await stack.call('GET', `/v1/campaigns/${id}`, { key });
    expect(after.body.status).toBe('running');
    expect(after.body.flowVersion).toBe(1);
    expect(new Date(after.body.launchedAt).getTime()).toBeGreaterThanOrEqual(new Date(at).getTime() - 1_000);
    expect(received(lead.email)).toBe(2);
  });

  it('holds sends while paused and runs the steps that fell due on resume', async () => {
    const people = await leads(3);
    const id = await campaign(twoMails('2s'), people.map((p) => p.id));
    expect((await stack.call('POST', `/v1/campaigns/${id}/launch`, { key })).status).toBe(202);
    await eventually(async () => (people.every((p) => received(p.email) === 1) ? true : undefined), 60_000, 'welcome mails');

    const paused = await stack.call('POST', `/v1/campaigns/${id}/pause`, { key });
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    // The wait ends during the pause; the reminder must not go out until the resume.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(people.map((p) => received(p.email))).toEqual([1, 1, 1]);
    const journey = await stack.call('GET', `/v1/campaigns/${id}/enrollments/${people[0].id}`, { key });
    expect(journey.body).toMatchObject({ status: 'active', paused: true, currentStepId: 'reminder', awaiting: { kind: 'action', stepId: 'reminder' } });
    expect(journey.body.path.map((p: { stepId: string }) => p.stepId)).toEqual(['welcome', 'pause', 'reminder']);

    expect((await stack.call('POST', `/v1/campaigns/${id}/pause`, { key })).status).toBe(409);
    const resumed = await stack.call('POST', `/v1/campaigns/${id}/resume`, { key });
    expect(resumed.body.status).toBe('running');
    await allEnded(id, 3);
    expect(people.map((p) => received(p.email))).toEqual([2, 2, 2]);

    const progress = await stack.call('GET', `/v1/campaigns/${id}/progress`, { key });
    expect(progress.body).toMatchObject({ status: 'running', enrolled: 3, active: 0, completed: 3, exited: 0, endReasons: [{ key: 'flow_finished', count: 3 }] });
    expect(progress.body.messagesByStep).toEqual([
      { stepId: 'reminder', byStatus: [{ key: 'sent', count: 3 }] },
      { stepId: 'welcome', byStatus: [{ key: 'sent', count: 3 }] },
    ]);
    // An ended journey keeps its path, read from its enrollment.
    const ended = await stack.call('GET', `/v1/campaigns/${id}/enrollments/${people[1].id}`, { key });
    expect(ended.body).toMatchObject({ status: 'completed', endReason: 'flow_finished', currentStepId: null });
    expect(ended.body.path.map((p: { stepId: string }) => p.stepId)).toEqual(['welcome', 'pause', 'reminder']);
  });

  it('ends every running journey on cancel, and refuses to resume a cancelled campaign', async () => {
    const people = await leads(2);
    const id = await campaign(twoMails('1h'), people.map((p) => p.id));
    await stack.call('POST', `/v1/campaigns/${id}/launch`, { key });
    await eventually(async () => (people.every((p) => received(p.email) === 1) ? true : undefined), 60_000, 'welcome mails');
    const cancelled = await stack.call('POST', `/v1/campaigns/${id}/cancel`, { key });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect(cancelled.body.endedAt).not.toBeNull();
    const rows = await allEnded(id, 2);
    expect(rows.map((r) => [r.status, r.end_reason])).toEqual([['exited', 'cancelled'], ['exited', 'cancelled']]);
    expect((await stack.call('POST', `/v1/campaigns/${id}/resume`, { key })).status).toBe(409);
  });

  it('cancels a scheduled launch before it happens', async () => {
    const [lead] = await leads(1);
    const id = await campaign(twoMails('1s'), [lead.id]);
    await stack.call('POST', `/v1/campaigns/${id}/launch`, { key, body: { at: new Date(Date.now() + 3_000).toISOString() } });
    expect((await stack.call('POST', `/v1/campaigns/${id}/cancel`, { key })).body.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await enrollments(id)).toEqual([]);
    expect(received(lead.email)).toBe(0);
  });

  it('ends journeys at the end date', async () => {
    const [lead] = await leads(1);
    const id = await campaign(twoMails('1h'), [lead.id], { endsAt: new Date(Date.now() + 60_000).toISOString() });
    await stack.call('POST', `/v1/campaigns/${id}/launch`, { key });
    await eventually(async () => (received(lead.email) === 1 ? true : undefined), 60_000, 'welcome mail');
    // Bring the end date forward: the lifecycle workflow hears of it and ends the campaign then.
    const changed = await stack.call('PATCH', `/v1/campaigns/${id}`, { key, body: { endsAt: new Date(Date.now() + 2_000).toISOString() } });
    expect(changed.status).toBe(200);
    const [row] = await allEnded(id, 1);
    expect(row).toMatchObject({ status: 'exited', end_reason: 'campaign_ended' });
    expect((await stack.call('GET', `/v1/campaigns/${id}`, { key })).body.status).toBe('completed');
    expect(received(lead.email)).toBe(1);
  });

  it('applies exit rules: conversion, and entering a segment', async () => {
    const [buyer, member] = await leads(2);
    const segment = await stack.call('POST', '/v1/segments', { key, body: { name: `customers ${tag}`, kind: 'static' } });
    expect(segment.status).toBe(201);
    const id = await campaign(
      { ...twoMails('1h'), exitRules: [{ on: 'conversion' }, { on: 'segment_entered', segmentId: segment.body.id }] },
      [buyer.id, member.id],
    );
    await stack.call('POST', `/v1/campaigns/${id}/launch`, { key });
    await eventually(async () => (received(buyer.email) === 1 && received(member.email) === 1 ? true : undefined), 60_000, 'welcome mails');

    const conversion = await stack.call('POST', '/v1/conversions', { key, body: { leadId: buyer.id, value: '10.00', currency: 'USD' } });
    expect(conversion.status).toBe(201);
    expect((await stack.call('POST', `/v1/segments/${segment.body.id}/members`, { key, body: { leadIds: [member.id] } })).status).toBeLessThan(300);

    const rows = await allEnded(id, 2);
    const reasonOf = (leadId: string) => rows.find((r) => r.lead_id === leadId)?.end_reason;
    expect(reasonOf(buyer.id)).toBe('converted');
    expect(reasonOf(member.id)).toBe('segment_entered');
  });

  it('adds leads to a running campaign, re-enrolling only as the policy allows', async () => {
    const [first, later] = await leads(2);
    const definition = { entry: 'welcome', steps: { welcome: { type: 'send_email', templateId } }, reenrollment: { policy: 'after', days: 7 } };
    const id = await campaign(definition, [first.id]);
    await stack.call('POST', `/v1/campaigns/${id}/launch`, { key });
    await allEnded(id, 1);

    const added = await stack.call('POST', `/v1/campaigns/${id}/enrollments`, { key, body: { leadIds: [later.id, first.id] } });
    expect(added.status).toBe(200);
    expect(added.body.results).toEqual([
      expect.objectContaining({ leadId: later.id, outcome: 'enrolled', flowVersion: 1 }),
      { leadId: first.id, outcome: 'not_eligible' },
    ]);
    await allEnded(id, 2);

    // A week later the first lead may go again, as sequence 2.
    await stack.sql(`update enrollments set ended_at = now() - interval '8 days' where campaign_id = ? and lead_id = ?`, [id, first.id]);
    const again = await stack.call('POST', `/v1/campaigns/${id}/enrollments`, { key, body: { leadIds: [first.id] } });
    expect(again.body.results).toEqual([expect.objectContaining({ leadId: first.id, outcome: 're_enrolled' })]);
    const rows = await allEnded(id, 3);
    expect(rows.filter((r) => r.lead_id === first.id).map((r) => r.sequence)).toEqual([1, 2]);
    expect(received(first.email)).toBe(2);
    const journey = await stack.call('GET', `/v1/campaigns/${id}/enrollments/${first.id}`, { key });
    expect(journey.body).toMatchObject({ sequence: 2, status: 'completed', endReason: 'flow_finished' });
  });

  it('answers bad lifecycle requests with 4xx problems', async () => {
    const [lead] = await leads(1);
    const id = await campaign(twoMails('1s'), [lead.id]);
    const past = await stack.call('PATCH', `/v1/campaigns/${id}`, { key, body: { endsAt: '2020-01-01T00:00:00Z' } });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([expect.objectContaining({ path: 'endsAt' })]);
    const badZone = await stack.call('PATCH', `/v1/campaigns/${id}`, { key, body: { timeZone: 'Mars/Olympus' } });
    expect(badZone.status).toBe(400);
    expect((await stack.call('POST', `/v1/campaigns/${id}/pause`, { key })).status).toBe(409);
    expect((await stack.call('POST', `/v1/campaigns/${id}/enrollments`, { key, body: { leadIds: [lead.id] } })).status).toBe(409);
    const badAt = await stack.call('POST', `/v1/campaigns/${id}/launch`, { key, body: { at: 'tomorrow' } });
    expect(badAt.status).toBe(400);
    const analyst = await stack.key('analyst');
    expect((await stack.call('POST', `/v1/campaigns/${id}/launch`, { key: analyst })).status).toBe(403);
  });
});
