import { MikroORM } from '@mikro-orm/postgresql';
import { withPgClient } from '@ce/db';
import { LeadRecord, upsertLeads } from '@ce/leads';
import { openTestDatabase } from '../../support/db';

describe('upsertLeads on PostgreSQL', () => {
  let orm: MikroORM;
  const run = (records: LeadRecord[]) => withPgClient(orm.em.fork(), (client) => upsertLeads(client, records, 'test'));
  const tag = Date.now().toString(36);
  const email = (n: number) => `bulk-${tag}-${n}@example.com`;

  beforeAll(async () => {
    orm = await openTestDatabase();
    await orm.em.getConnection().execute(
      `insert into attribute_definitions (id, name, type, required) values (gen_random_uuid(), 'plan_${tag}', 'string', false)`,
    );
  });
  afterAll(() => orm?.close(true));

  it('creates new leads, then reports the same write again as unchanged', async () => {
    const records: LeadRecord[] = [
      { email: email(1), firstName: 'Ada', attributes: { [`plan_${tag}`]: 'pro' }, consent: { email: 'subscribed' } },
      { email: email(2), firstName: 'Alan', externalIds: { crm: `crm-${tag}-2` } },
    ];
    const first = await run(records);
    expect(first.map((r) => r.outcome)).toEqual(['created', 'created']);
    const again = await run(records);
    expect(again.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(again.map((r) => r.id)).toEqual(first.map((r) => r.id));
  });

  it('updates only what a record names, merging attributes and keeping other fields', async () => {
    const [created] = await run([{ email: email(3), firstName: 'Grace', company: 'Navy', attributes: { [`plan_${tag}`]: 'free' } }]);
    const [updated] = await run([{ email: email(3), lastName: 'Hopper', lifecycleStage: 'mql' }]);
    expect(updated).toEqual({ email: email(3), id: created.id, outcome: 'updated' });
    const [row] = await orm.em.getConnection().execute(`select first_name, last_name, company, lifecycle_stage, attributes from leads where id = ?`, [created.id]);
    expect(row).toMatchObject({ first_name: 'Grace', last_name: 'Hopper', company: 'Navy', lifecycle_stage: 'mql', attributes: { [`plan_${tag}`]: 'free' } });
    const events = await orm.em.getConnection().execute<{ type: string }[]>(`select type, data from lead_events where lead_id = ? order by occurred_at, type`, [created.id]);
    expect(events.map((e: { type: string }) => e.type)).toEqual(['stage_changed']);
  });

  it('writes a lead named twice in one batch once, later values winning', async () => {
    const results = await run([
      { email: email(4), firstName: 'First', company: 'Kept' },
      { email: email(4), firstName: 'Second' },
    ]);
    expect(results).toHaveLength(2);
    expect(results[0].id).toBe(results[1].id);
    const [row] = await orm.em.getConnection().execute(`select first_name, company from leads where email = ?`, [email(4)]);
    expect(row).toEqual({ first_name: 'Second', company: 'Kept' });
  });

  it('counts a consent change as an update and records it on the timeline', async () => {
    const [lead] = await run([{ email: email(5), consent: { email: 'subscribed' } }]);
    const [changed] = await run([{ email: email(5), consent: { email: 'unsubscribed' } }]);
    expect(changed.outcome).toBe('updated');
    const [consent] = await orm.em.getConnection().execute(`select status, source from lead_consents where lead_id = ? and channel = 'email'`, [lead.id]);
    expect(consent).toEqual({ status: 'unsubscribed', source: 'test' });
    const events = await orm.em.getConnection().execute<{ data: { status: string } }[]>(`select data from lead_events where lead_id = ? and type = 'consent_changed'`, [lead.id]);
    expect(events.map((e: { data: { status: string } }) => e.data.status).sort()).toEqual(['subscribed', 'unsubscribed']);
  });
});

describe('upsertLeads: clearing, ids and owners', () => {
  let orm: MikroORM;
  const tag = `x${Date.now().toString(36)}`;
  const email = (n: number) => `bulk2-${tag}-${n}@example.com`;
  const run = (records: LeadRecord[]) => withPgClient(orm.em.fork(), (client) => upsertLeads(client, records, 'test'));
  const sql = <T>(query: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    orm = await openTestDatabase();
    await sql(`insert into attribute_definitions (id, name, type, required) values (gen_random_uuid(), 'tier_${tag}', 'string', false)`);
  });
  afterAll(() => orm?.close(true));

  it('clears a field given as null and removes an attribute given as null', async () => {
    const [lead] = await run([{ email: email(1), company: 'Acme', attributes: { [`tier_${tag}`]: 'gold' } }]);
    const [cleared] = await run([{ email: email(1), company: null, attributes: { [`tier_${tag}`]: null } }]);
    expect(cleared.outcome).toBe('updated');
    const [row] = await sql<{ company: string | null; attributes: object }>('select company, attributes from leads where id = ?', [lead.id]);
    expect(row).toEqual({ company: null, attributes: {} });
    expect((await run([{ email: email(1), company: null }]))[0].outcome).toBe('unchanged');
  });

  it('counts a new external id as an update and replaces the lead\'s id in that system', async () => {
    const [lead] = await run([{ email: email(2) }]);
    expect((await run([{ email: email(2), externalIds: { crm: `one-${tag}` } }]))[0].outcome).toBe('updated');
    expect((await run([{ email: email(2), externalIds: { crm: `two-${tag}` } }]))[0].outcome).toBe('updated');
    const ids = await sql<{ external_id: string }>('select external_id from lead_external_ids where lead_id = ?', [lead.id]);
    expect(ids).toEqual([{ external_id: `two-${tag}` }]);
  });

  it('leaves an id held by another lead with it and records the clash', async () => {
    const [holder] = await run([{ email: email(3), externalIds: { crm: `held-${tag}` } }]);
    const [other] = await run([{ email: email(4), externalIds: { crm: `held-${tag}` } }]);
    const owners = await sql<{ lead_id: string }>('select lead_id from lead_external_ids where external_id = ?', [`held-${tag}`]);
    expect(owners).toEqual([{ lead_id: holder.id }]);
    const [event] = await sql<{ data: { heldBy: string } }>(`select data from lead_events where lead_id = ? and type = 'external_id_conflict'`, [other.id]);
    expect(event.data.heldBy).toBe(holder.id);
  });

  it('records an owner change on the timeline', async () => {
    const owner = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
    const [lead] = await run([{ email: email(5) }]);
    await run([{ email: email(5), ownerId: owner }]);
    const events = await sql<{ data: { to: string } }>(`select data from lead_events where lead_id = ? and type = 'owner_changed'`, [lead.id]);
    expect(events.map((e) => e.data.to)).toEqual([owner]);
  });
});
