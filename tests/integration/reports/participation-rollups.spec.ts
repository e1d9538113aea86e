import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { openTestDatabase } from '../../support/db';
import { E2E_ENV } from '../../support/e2e-env';

/**
 * The participation roll-ups on real PostgreSQL, kept by the triggers on touchpoints, messages
 * and enrollments: firsts counted once on their day and moved when an earlier touchpoint comes
 * late, new leads once under their first touchpoint of all, deliveries once per message, nothing
 * taken away by deletes, and two transactions racing on the same first counting it once.
 *
 * Every test works in campaigns of its own, and reads only their rows.
 */
describe('participation roll-ups', () => {
  let orm: MikroORM;
  let flowVersionId: string;
  const clients: Client[] = [];
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);

  async function campaign(channel = 'email'): Promise<string> {
    const [row] = await sql<{ id: string }>(
      `insert into campaigns (id, name, flow_id, flow_version_id, channel, status, audience, currency)
       select gen_random_uuid(), ?, flow_id, id, ?, 'running', '{}', 'EUR' from flow_versions where id = ? returning id`,
      [`participation ${randomUUID()}`, channel, flowVersionId],
    );
    return row.id;
  }

  async function lead(): Promise<string> {
    const [row] = await sql<{ id: string }>(`insert into leads (id, email, attributes) values (gen_random_uuid(), ?, '{}') returning id`, [`${randomUUID()}@example.com`]);
    return row.id;
  }

  interface Touch {
    lead: string | null;
    campaign: string | null;
    channel?: string;
    type: string;
    at: string;
    visitor?: string;
  }
  const touchSql = `insert into touchpoints (id, lead_id, campaign_id, channel, type, occurred_at, properties, visitor_id)
    select gen_random_uuid(), x.lead_id, x.campaign_id, x.channel, x.type, x.at, '{}', x.visitor
      from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[]) as x(lead_id, campaign_id, channel, type, at, visitor)`;
  const touchParams = (touches: Touch[]) => [
    touches.map((t) => t.lead),
    touches.map((t) => t.campaign),
    touches.map((t) => t.channel ?? 'email'),
    touches.map((t) => t.type),
    touches.map((t) => t.at),
    touches.map((t) => t.visitor ?? null),
  ];
  /** Touchpoints written in one statement, as the ingestion API writes a batch. */
  const touch = (...touches: Touch[]) => withClient((client) => client.query(touchSql, touchParams(touches)));

  /** The campaigns' roll-up rows that count something, by day and channel. */
  async function rollups(...campaigns: string[]) {
    return sql<Record<string, unknown>>(
      `select day::text, channel, enrolled, delivered, opened, clicked, engaged, reached, new_leads from participation_rollups
        where campaign_key = any(?::uuid[]) and (enrolled, delivered, opened, clicked, engaged, reached, new_leads) <> (0, 0, 0, 0, 0, 0, 0)
        order by campaign_key = ? desc, day, channel`,
      [`{${campaigns.join(',')}}`, campaigns[0]],
    );
  }
  const counts = (day: string, channel: string, figures: Partial<Record<'enrolled' | 'delivered' | 'opened' | 'clicked' | 'engaged' | 'reached' | 'new_leads', number>>) => ({
    day,
    channel,
    enrolled: 0,
    delivered: 0,
    opened: 0,
    clicked: 0,
    engaged: 0,
    reached: 0,
    new_leads: 0,
    ...figures,
  });

  async function connect(): Promise<Client> {
    const client = new Client({ connectionString: process.env[E2E_ENV.databaseUrl] });
    await client.connect();
    clients.push(client);
    return client;
  }
  async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = await connect();
    try {
      return await work(client);
    } finally {
      clients.splice(clients.indexOf(client), 1);
      await client.end();
    }
  }

  beforeAll(async () => {
    orm = await openTestDatabase();
    const [flow] = await sql<{ id: string }>(`insert into flows (id, name) values (gen_random_uuid(), 'participation') returning id`);
    const [version] = await sql<{ id: string }>(
      `insert into flow_versions (id, flow_id, version, definition) values (gen_random_uuid(), ?, 1, '{"entry":"x","steps":{"x":{"type":"exit"}}}') returning id`,
      [flow.id],
    );
    flowVersionId = version.id;
  });
  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => undefined);
    await orm?.close(true);
  });

  it("counts a lead's first open, click, engagement and touch once each, on its day, and moves them when an earlier touchpoint comes late", async () => {
    const c = await campaign();
    const [ada, alan] = [await lead(), await lead()];
    await touch(
      { lead: ada, campaign: c, type: 'open', at: '2011-03-10T09:00:00Z' },
      { lead: ada, campaign: c, type: 'open', at: '2011-03-11T09:00:00Z' },
      { lead: ada, campaign: c, type: 'click', at: '2011-03-12T09:00:00Z' },
      { lead: alan, campaign: c, type: 'email_click', at: '2011-03-10T23:59:59Z' },
      { lead: alan, campaign: c, channel: 'paid_search', type: 'ad_click', at: '2011-03-11T00:00:00Z' },
    );
    // A second batch repeats what is counted already: nothing changes.
    await touch({ lead: ada, campaign: c, type: 'open', at: '2011-03-10T18:00:00Z' });
    expect(await rollups(c)).toEqual([
      // Ada opened and Alan clicked on the 10th: both engaged and reached; Alan's click was his first touch.
      counts('2011-03-10', 'email', { opened: 1, clicked: 1, engaged: 2, reached: 2, new_leads: 2 }),
      // An ad click is not an email click: paid search reached Alan, nothing more.
      counts('2011-03-11', 'paid_search', { reached: 1 }),
      counts('2011-03-12', 'email', { clicked: 1 }),
    ]);

    // Ada's click of the 8th arrives late: her first click, engagement, touch and her acquisition move to the 8th.
    await touch({ lead: ada, campaign: c, type: 'click', at: '2011-03-08T12:00:00Z' });
    expect(await rollups(c)).toEqual([
      counts('2011-03-08', 'email', { clicked: 1, engaged: 1, reached: 1, new_leads: 1 }),
      counts('2011-03-10', 'email', { opened: 1, clicked: 1, engaged: 1, reached: 1, new_leads: 1 }),
      counts('2011-03-11', 'paid_search', { reached: 1 }),
    ]);
  });

  it('counts a new lead once, under its first touchpoint of all, moving it to another campaign and channel when an earlier one comes, or when a visitor is identified', async () => {
    const [spring, autumn] = [await campaign(), await campaign()];
    const grace = await lead();
    await touch({ lead: grace, campaign: spring, type: 'open', at: '2011-04-10T09:00:00Z' });
    await touch({ lead: grace, campaign: autumn, channel: 'webinar', type: 'webinar', at: '2011-04-05T09:00:00Z' });
    expect(await rollups(spring, autumn)).toEqual([
      counts('2011-04-10', 'email', { opened: 1, engaged: 1, reached: 1 }),
      counts('2011-04-05', 'webinar', { reached: 1, new_leads: 1 }),
    ]);

    // She was an anonymous visitor of spring's before: identified, the visit is her first touch.
    const visitor = `v-${randomUUID()}`;
    await touch({ lead: null, campaign: spring, channel: 'paid_social', type: 'visit', at: '2011-04-01T09:00:00Z', visitor });
    expect(await rollups(spring, autumn)).toHaveLength(2);
    await sql('update touchpoints set lead_id = ? where visitor_id = ?', [grace, visitor]);
    expect(await rollups(spring, autumn)).toEqual([
      counts('2011-04-01', 'paid_social', { reached: 1, new_leads: 1 }),
      counts('2011-04-10', 'email', { opened: 1, engaged: 1, reached: 1 }),
      counts('2011-04-05', 'webinar', { reached: 1 }),
    ]);

    // A touchpoint that changes campaign (its campaign deleted, say) is not counted again.
    await sql(`update touchpoints set campaign_id = null where lead_id = ? and campaign_id = ?`, [grace, autumn]);
    expect(await rollups(spring, autumn)).toHaveLength(3);
  });

  it("counts enrollments under the campaign's channel, and each message once when the mail server's acceptance is recorded (sent), on that day", async () => {
    const c = await campaign();
    const [ada, alan] = [await lead(), await lead()];
    const enrollments = await sql<{ id: string; lead_id: string }>(
      `insert into enrollments (id, created_at, campaign_id, lead_id, flow_version_id, workflow_id)
       select gen_random_uuid(), '2011-05-02T08:00:00Z', ?, l, ?, 'w' from unnest(?::uuid[]) as l returning id, lead_id`,
      [c, flowVersionId, `{${ada},${alan}}`],
    );
    const message = async (enrollment: { id: string; lead_id: string }, step: string, status = 'sending', sentAt: string | null = null) => {
      const [row] = await sql<{ id: string }>(
        `insert into messages (id, idempotency_key, enrollment_id, campaign_id, lead_id, step_id, channel, status, sent_at)
         values (gen_random_uuid(), ?, ?, ?, ?, ?, 'email', ?, ?) returning id`,
        [`${enrollment.id}:${step}`, enrollment.id, c, enrollment.lead_id, step, status, sentAt],
      );
      return row.id;
    };
    const first = await message(enrollments[0], 'welcome');
    const second = await message(enrollments[1], 'welcome');
    await message(enrollments[1], 'imported', 'sent', '2011-05-03T10:00:00Z');
    await message(enrollments[0], 'refused', 'suppressed');

    const [{ today }] = await sql<{ today: string }>(`select (now() at time zone 'UTC')::date::text as today`);
    // Handed over, refused with "try later", handed over again and sent: one delivery.
    for (const status of ['handed_over', 'sending', 'handed_over']) await sql('update messages set status = ? where id = ?', [status, first]);
    await sql(`update messages set status = 'sent', sent_at = now() where id = any(?::uuid[])`, [`{${first},${second}}`]);
    expect(await rollups(c)).toEqual([
      counts('2011-05-02', 'email', { enrolled: 2 }),
      counts('2011-05-03', 'email', { delivered: 1 }),
      counts(today, 'email', { delivered: 2 }),
    ]);
  });

  it('takes nothing away when the rows counted are deleted: the counts are of what happened', async () => {
    const c = await campaign();
    const ada = await lead();
    await sql(
      `insert into enrollments (id, created_at, campaign_id, lead_id, flow_version_id, workflow_id) values (gen_random_uuid(), '2011-06-01T08:00:00Z', ?, ?, ?, 'w')`,
      [c, ada, flowVersionId],
    );
    await touch({ lead: ada, campaign: c, type: 'click', at: '2011-06-02T08:00:00Z' });
    const before = await rollups(c);
    expect(before).toEqual([counts('2011-06-01', 'email', { enrolled: 1 }), counts('2011-06-02', 'email', { clicked: 1, engaged: 1, reached: 1, new_leads: 1 })]);
    // Erasing the lead takes its enrollments, messages and touchpoints with it.
    await sql('delete from leads where id = ?', [ada]);
    expect(await rollups(c)).toEqual(before);
    expect(await sql('select 1 from participation_firsts where lead_id = ?', [ada])).toEqual([]);
  });

  describe('two transactions racing on the same first', () => {
    /**
     * `first` writes its touchpoints in an open transaction; `second` writes its own and must
     * wait for `first`'s; then `first` commits, and `second` finishes and commits.
     */
    async function race(first: Touch[], second: Touch[]): Promise<void> {
      const [a, b] = [await connect(), await connect()];
      const { rows } = await b.query<{ pid: number }>('select pg_backend_pid() as pid');
      await a.query('begin');
      await a.query(touchSql, touchParams(first));
      await b.query('begin');
      const secondDone = b.query(touchSql, touchParams(second)).then(() => b.query('commit'));
      await waitUntilBlocked(rows[0].pid);
      await a.query('commit');
      await secondDone;
      for (const client of [a, b]) {
        clients.splice(clients.indexOf(client), 1);
        await client.end();
      }
    }

    /** Polls until the session waits for a lock (the other transaction's row), so the race is real. */
    async function waitUntilBlocked(pid: number): Promise<void> {
      for (let attempt = 0; attempt < 600; attempt++) {
        const [row] = await sql<{ waiting: boolean }>(`select wait_event_type = 'Lock' as waiting from pg_stat_activity where pid = ?`, [pid]);
        if (row?.waiting) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`session ${pid} never waited for the other transaction`);
    }

    it('counts it once, on the earlier day, when the later one commits first', async () => {
      const c = await campaign();
      const ada = await lead();
      await race([{ lead: ada, campaign: c, type: 'open', at: '2011-07-20T09:00:00Z' }], [{ lead: ada, campaign: c, type: 'open', at: '2011-07-10T09:00:00Z' }]);
      expect(await rollups(c)).toEqual([counts('2011-07-10', 'email', { opened: 1, engaged: 1, reached: 1, new_leads: 1 })]);
      expect(await sql('select kind, day::text from participation_firsts where lead_id = ? order by kind', [ada])).toEqual(
        ['engaged', 'opened', 'reached'].map((kind) => ({ kind, day: '2011-07-10' })),
      );
    });

    it('counts it once, on the earlier day, when the earlier one commits first', async () => {
      const c = await campaign();
      const ada = await lead();
      await race([{ lead: ada, campaign: c, type: 'open', at: '2011-07-10T09:00:00Z' }], [{ lead: ada, campaign: c, type: 'open', at: '2011-07-20T09:00:00Z' }]);
      expect(await rollups(c)).toEqual([counts('2011-07-10', 'email', { opened: 1, engaged: 1, reached: 1, new_leads: 1 })]);
    });

    it('moves it once when both move a recorded first, the second further back', async () => {
      const [c, other] = [await campaign(), await campaign()];
      const ada = await lead();
      await touch({ lead: ada, campaign: c, type: 'click', at: '2011-08-30T09:00:00Z' });
      // The first moves her acquisition to another campaign; the second, earlier still, back to this one.
      await race(
        [
          { lead: ada, campaign: c, type: 'click', at: '2011-08-20T09:00:00Z' },
          { lead: ada, campaign: other, channel: 'referral', type: 'referral', at: '2011-08-15T09:00:00Z' },
        ],
        [{ lead: ada, campaign: c, type: 'click', at: '2011-08-10T09:00:00Z' }],
      );
      expect(await rollups(c, other)).toEqual([
        counts('2011-08-10', 'email', { clicked: 1, engaged: 1, reached: 1, new_leads: 1 }),
        counts('2011-08-15', 'referral', { reached: 1 }),
      ]);
    });
  });
});
