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
    expect(events.map((e: { type: string }) => e.type).sort()).toEqual(['created', 'stage_changed']);
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
