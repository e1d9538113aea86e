import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { workflowIds } from '@ce/contracts';
import { E2E_ENV } from '../support/e2e-env';
import { eventually, startStack, TestStack } from '../support/stack';

/**
 * The hand-off of new MQLs over HTTP, on real PostgreSQL, a real Temporal worker and a real SMTP
 * server: routing by rule, then round robin within capacity; the owner's email; each rep's queue
 * and nobody else's; a lead's detail for its owner; accept and reject, which end the hand-off.
 *
 * The file's three reps are the only active ones while it runs (others are paused and put back).
 */
describe('sales hand-off and queue', () => {
  let stack: TestStack;
  let temporal: Connection;
  let admin: string;
  let marketer: string;
  const tag = randomUUID().slice(0, 8);
  const reps: Record<'anna' | 'ben' | 'cara', { repId: string; key: string }> = {} as never;
  let paused: string[] = [];
  const leads: Record<string, string> = {};

  const handoffOf = async (leadId: string) => (await stack.sql<{ id: string; status: string; rep_id: string | null }>('select id, status, rep_id from handoffs where lead_id = ?', [leadId]))[0];
  const workflowResult = (handoffId: string) => new Client({ connection: temporal }).workflow.getHandle(workflowIds.handoff(handoffId)).result();

  /** A lead made an MQL by hand (the same hand-off follows whatever makes a lead an MQL). */
  async function mql(name: string, fields: Record<string, unknown> = {}): Promise<string> {
    const made = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: `${name}-${tag}@example.com`, firstName: name, ...fields } });
    expect(made.status).toBe(201);
    expect((await stack.call('PATCH', `/v1/leads/${made.body.id}`, { key: marketer, body: { lifecycleStage: 'mql' } })).status).toBe(200);
    leads[name] = made.body.id;
    return made.body.id as string;
  }

  /** Waits until the lead's hand-off has an owner. */
  const assigned = (leadId: string) =>
    eventually(async () => {
      const h = await handoffOf(leadId);
      return h?.status === 'assigned' ? h : undefined;
    }, 30_000, 'the hand-off assigned');

  beforeAll(async () => {
    stack = await startStack({ smtp: true });
    temporal = await Connection.connect({ address: process.env[E2E_ENV.temporalAddress]! });
    [admin, marketer] = [await stack.key('admin'), await stack.key('marketer')];
    paused = (await stack.sql<{ id: string }>('update sales_reps set active = false where active returning id')).map((r) => r.id);
    for (const name of ['anna', 'ben', 'cara'] as const) reps[name] = await stack.salesRep(`${name} ${tag}`);
    await stack.sql('update sales_reps set capacity = 1 where id = ?', [reps.ben.repId]);
    // Germany goes to Anna; everyone else round robin among all active reps.
    const routing = await stack.call('PUT', '/v1/sales/routing', {
      key: admin,
      body: { rules: [{ id: 'germany', name: 'Germany', when: { field: 'country', op: 'eq', value: 'DE' }, repIds: [reps.anna.repId] }], slaMinutes: 240, onSlaBreach: 'reassign', maxReassignments: 2 },
    });
    expect(routing.status).toBe(200);
  });

  afterAll(async () => {
    if (!stack) return;
    await stack.call('PUT', '/v1/sales/routing', { key: admin, body: { rules: [], slaMinutes: 240, onSlaBreach: 'reassign', maxReassignments: 2 } });
    await stack.sql('delete from leads where email like ?', [`%-${tag}@example.com`]);
    await stack.sql('delete from sales_reps where id = any(?::uuid[])', [`{${Object.values(reps).map((r) => r.repId).join(',')}}`]);
    await stack.sql('update sales_reps set active = true where id = any(?::uuid[])', [`{${paused.join(',')}}`]);
    await temporal?.close();
    await stack.stop();
  });

  it('routes by rule first, then round robin among the reps with room, and emails each owner once', async () => {
    const dieter = await mql('dieter', { country: 'DE', company: 'Kraftwerk' });
    expect((await assigned(dieter)).rep_id).toBe(reps.anna.repId);

    const first = await mql('fay');
    const firstOwner = (await assigned(first)).rep_id;
    const second = await mql('gus');
    const secondOwner = (await assigned(second)).rep_id;
    // Ben has room for one; Anna had a lead most recently, so the round goes Ben, then Cara (or Cara, then Ben).
    expect(new Set([firstOwner, secondOwner])).toEqual(new Set([reps.ben.repId, reps.cara.repId]));
    const third = await mql('hal');
    // Ben is full, Cara and Anna have had theirs: Anna's turn is the oldest of those with room.
    expect((await assigned(third)).rep_id).toBe(reps.anna.repId);

    const mails = await stack.smtp!.waitFor(4);
    const toAnna = mails.filter((m) => m.to && JSON.stringify(m.to).includes(`anna.${tag}`));
    expect(toAnna.map((m) => m.subject).sort()).toEqual(['New lead for you: dieter (Kraftwerk), score 0', 'New lead for you: hal, score 0']);
    expect(toAnna[0].text).toContain(`/v1/sales/leads/`);
    const [{ n }] = await stack.sql<{ n: number }>(`select count(*)::int as n from handoff_notices where channel = 'email' and rep_id = any(?::uuid[])`, [`{${Object.values(reps).map((r) => r.repId).join(',')}}`]);
    expect(n).toBe(4);
  });

  it("shows each rep its own queue, highest score first, and no one else's leads", async () => {
    await stack.sql('update leads set score = 40 where id = ?', [leads.hal]);
    await stack.sql('update leads set score = 70 where id = ?', [leads.dieter]);
    const queue = await stack.call('GET', '/v1/sales/queue?handoff=open', { key: reps.anna.key });
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { leadId: string }) => i.leadId)).toEqual([leads.dieter, leads.hal]);
    expect(queue.body.items[0]).toMatchObject({ email: `dieter-${tag}@example.com`, company: 'Kraftwerk', score: 70, lifecycleStage: 'mql', handoff: { status: 'assigned', repId: reps.anna.repId } });
    // Pages of one.
    const page = await stack.call('GET', '/v1/sales/queue?limit=1', { key: reps.anna.key });
    expect(page.body.items).toHaveLength(1);
    const next = await stack.call('GET', `/v1/sales/queue?limit=1&after=${page.body.nextAfter}`, { key: reps.anna.key });
    expect(next.body.items.map((i: { leadId: string }) => i.leadId)).toEqual([leads.hal]);
    // A sales key sees its own queue whatever it asks for; a marketer names the rep.
    const asked = await stack.call('GET', `/v1/sales/queue?repId=${reps.ben.repId}`, { key: reps.anna.key });
    expect(asked.body.items.map((i: { leadId: string }) => i.leadId)).toEqual([leads.dieter, leads.hal]);
    const forBen = await stack.call('GET', `/v1/sales/queue?repId=${reps.ben.repId}`, { key: marketer });
    expect(forBen.body.items).toHaveLength(1);
    expect((await stack.call('GET', '/v1/sales/queue', { key: marketer })).status).toBe(400);
    expect((await stack.call('GET', '/v1/sales/queue', { key: await stack.key('sales') })).status).toBe(403);
    expect((await stack.call('GET', '/v1/sales/queue?minScore=50', { key: reps.anna.key })).body.items).toHaveLength(1);
    const bad = await stack.call('GET', '/v1/sales/queue?limit=0&handoff=maybe&after=x', { key: reps.anna.key });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['after', 'handoff', 'limit']);
  });

  it("opens a lead for its owner with the explanation and the timeline, and refuses another rep's", async () => {
    const own = await stack.call('GET', `/v1/sales/leads/${leads.dieter}`, { key: reps.anna.key });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: leads.dieter, ownerId: reps.anna.repId, handoff: { status: 'assigned' }, explanation: { leadId: leads.dieter } });
    expect(own.body.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['stage_changed', 'owner_changed']));
    const other = await stack.call('GET', `/v1/sales/leads/${leads.dieter}`, { key: reps.ben.key });
    expect(other.status).toBe(403);
    expect((await stack.call('POST', `/v1/sales/leads/${leads.dieter}/accept`, { key: reps.ben.key })).status).toBe(403);
  });

  it('ends a hand-off when its owner accepts it (MQL to SQL) or rejects it (recycled to nurture with no owner)', async () => {
    const accepted = await stack.call('POST', `/v1/sales/leads/${leads.dieter}/accept`, { key: reps.anna.key });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ leadId: leads.dieter, lifecycleStage: 'sql', handoff: { status: 'accepted', repId: reps.anna.repId } });
    expect(await workflowResult(accepted.body.handoff.id)).toEqual({ outcome: 'decided', owners: [reps.anna.repId] });
    expect((await stack.call('POST', `/v1/sales/leads/${leads.dieter}/accept`, { key: reps.anna.key })).status).toBe(409);

    const badReject = await stack.call('POST', `/v1/sales/leads/${leads.hal}/reject`, { key: reps.anna.key, body: { reason: '', disposition: 'later' } });
    expect(badReject.status).toBe(400);
    expect(badReject.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['disposition', 'reason']);
    const rejected = await stack.call('POST', `/v1/sales/leads/${leads.hal}/reject`, { key: reps.anna.key, body: { reason: 'A student', disposition: 'recycle' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ lifecycleStage: 'lead', handoff: { status: 'rejected', reason: 'A student', disposition: 'recycle' } });
    expect(await workflowResult(rejected.body.handoff.id)).toEqual({ outcome: 'decided', owners: [reps.anna.repId] });
    const [hal] = await stack.sql<{ owner_id: string | null; lifecycle_stage: string }>('select owner_id, lifecycle_stage from leads where id = ?', [leads.hal]);
    expect(hal).toEqual({ owner_id: null, lifecycle_stage: 'lead' });
    // Out of Anna's queue.
    const queue = await stack.call('GET', '/v1/sales/queue', { key: reps.anna.key });
    expect(queue.body.items.map((i: { leadId: string }) => i.leadId)).toEqual([leads.dieter]);
  });
});
