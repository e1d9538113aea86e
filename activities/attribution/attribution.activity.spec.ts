import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import pino from 'pino';
import { ATTRIBUTION_MODELS, HEURISTIC_MODELS } from '@ce/attribution';
import { Campaign, Flow, FlowVersion, Lead } from '@ce/db';
import { openTestDatabase } from '../../tests/support/db';
import { AttributionSummary, createAttributionActivities, createAttributionRefreshActivities, ReattributionProgress } from './attribution.activities';
import { rollupDriftSql } from './rollup-drift';

const DAY = 86_400_000;

/** Conversions attributed on real PostgreSQL: credits, their invariants, and the roll-ups beside them. */
describe('attributeConversion', () => {
  let orm: MikroORM;
  let attributeConversion: ReturnType<typeof createAttributionActivities>['attributeConversion'];
  let reattributeConversions: ReturnType<typeof createAttributionRefreshActivities>['reattributeConversions'];
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);
  const run = (conversionId: string): Promise<AttributionSummary> =>
    new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }).run(attributeConversion, { conversionId });

  let campaignId: string;
  const conversionAt = new Date('2026-05-20T12:00:00Z');

  /** A lead created at `createdDaysBefore` days before the conversion, with touches at the given days before it. */
  async function leadWithTouches(touches: { daysBefore: number; channel: string; campaign?: boolean }[], createdDaysBefore = 40): Promise<string> {
    const em = orm.em.fork();
    const lead = em.create(Lead, { email: `${randomUUID()}@example.com`, createdAt: new Date(conversionAt.getTime() - createdDaysBefore * DAY) });
    await em.flush();
    for (const t of touches)
      await sql(`insert into touchpoints (id, lead_id, campaign_id, channel, type, occurred_at, properties) values (gen_random_uuid(), ?, ?, ?, 'visit', ?, '{}')`, [
        lead.id,
        t.campaign ? campaignId : null,
        t.channel,
        new Date(conversionAt.getTime() - t.daysBefore * DAY),
      ]);
    return lead.id;
  }

  async function convert(leadId: string, valueMinor: number, currency = 'EUR'): Promise<string> {
    const [row] = await sql<{ id: string }>(
      `insert into conversions (id, lead_id, type, value_minor, currency, occurred_at) values (gen_random_uuid(), ?, 'purchase', ?, ?, ?) returning id`,
      [leadId, valueMinor, currency, conversionAt],
    );
    return row.id;
  }

  const credits = (conversionId: string) =>
    sql<{ model: string; touchpoint_id: string; channel: string; campaign_id: string | null; credit: number; revenue_minor: string }>(
      'select model, touchpoint_id, channel, campaign_id, credit, revenue_minor from attribution_credits where conversion_id = ? order by model, touchpoint_id',
      [conversionId],
    );
  /** Rows of either roll-up that differ from the credits they sum (`rollupDriftSql`). */
  const rollupsAgreeWithCredits = async () => sql<{ n: number }>(rollupDriftSql());

  beforeAll(async () => {
    orm = await openTestDatabase();
    ({ attributeConversion } = createAttributionActivities({ orm, logger: pino({ level: 'silent' }) }));
    // Pages of three, so that a handful of conversions makes several pages.
    ({ reattributeConversions } = createAttributionRefreshActivities({ orm, logger: pino({ level: 'silent' }) }, { pageSize: 3 }));
    // The data-driven models have no weights until a test gives them some.
    await sql('delete from attribution_weights');
    const em = orm.em.fork();
    const flow = em.create(Flow, { name: 'Attribution' });
    const version = em.create(FlowVersion, { flow, version: 1, definition: { entry: 'x', steps: { x: { type: 'exit' } } } });
    const campaign = em.create(Campaign, { name: 'Spring', flow, flowVersion: version, channel: 'email', status: 'running', audience: {}, currency: 'EUR' });
    await em.flush();
    campaignId = campaign.id;
  });
  afterAll(async () => {
    // Other test files on this database start without data-driven weights.
    await sql('delete from attribution_weights').catch(() => undefined);
    await orm?.close(true);
  });

  it('credits every touch in the window under every rule-based model: each model sums to 1 and to the value', async () => {
    const leadId = await leadWithTouches([
      { daysBefore: 120, channel: 'display' },
      { daysBefore: 30, channel: 'paid_search', campaign: true },
      { daysBefore: 14, channel: 'email', campaign: true },
      { daysBefore: 7, channel: 'direct' },
    ]);
    const conversionId = await convert(leadId, 10_001);
    await expect(run(conversionId)).resolves.toMatchObject({ touches: 3 });

    const rows = await credits(conversionId);
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set(HEURISTIC_MODELS));
    expect(rows.some((r) => r.channel === 'display')).toBe(false);
    for (const model of HEURISTIC_MODELS) {
      const mine = rows.filter((r) => r.model === model);
      expect(mine.reduce((s, r) => s + Number(r.credit), 0)).toBeCloseTo(1, 12);
      expect(mine.reduce((s, r) => s + BigInt(r.revenue_minor), 0n)).toBe(10_001n);
    }
    // Last non-direct passes over the direct visit to the email.
    expect(rows.filter((r) => r.model === 'last_non_direct').map((r) => r.channel)).toEqual(['email']);
    // Time decay, half-life 7 days: weights 2^(-30/7), 2^-2, 2^-1 for the touches 30, 14 and 7 days before.
    const weights = { paid_search: 2 ** (-30 / 7), email: 0.25, direct: 0.5 };
    const total = weights.paid_search + weights.email + weights.direct;
    for (const r of rows.filter((row) => row.model === 'time_decay'))
      expect(Number(r.credit)).toBeCloseTo(weights[r.channel as keyof typeof weights] / total, 12);
    expect((await rollupsAgreeWithCredits())[0].n).toBe(0);
  });

  it('replaces the credits when run again after a late touchpoint, and moves the roll-ups by the difference', async () => {
    const leadId = await leadWithTouches([{ daysBefore: 10, channel: 'email', campaign: true }]);
    const conversionId = await convert(leadId, 5_000);
    await run(conversionId);
    expect((await credits(conversionId)).filter((r) => r.model === 'linear')).toEqual([expect.objectContaining({ channel: 'email', credit: 1, revenue_minor: '5000' })]);

    // A webinar visit from before the email arrives late.
    await sql(`insert into touchpoints (id, lead_id, channel, type, occurred_at, properties) values (gen_random_uuid(), ?, 'webinar', 'attended', ?, '{}')`, [
      leadId,
      new Date(conversionAt.getTime() - 20 * DAY),
    ]);
    await run(conversionId);
    const linear = (await credits(conversionId)).filter((r) => r.model === 'linear');
    expect(linear.map((r) => [r.channel, Number(r.credit), r.revenue_minor]).sort()).toEqual([
      ['email', 0.5, '2500'],
      ['webinar', 0.5, '2500'],
    ]);
    expect((await rollupsAgreeWithCredits())[0].n).toBe(0);
    // Running it once more changes nothing.
    await run(conversionId);
    expect((await credits(conversionId)).filter((r) => r.model === 'linear')).toEqual(linear);
    expect((await rollupsAgreeWithCredits())[0].n).toBe(0);
  });

  it('gives W-shaped its share to the touch at which the lead was created and the one at which it became an opportunity', async () => {
    const leadId = await leadWithTouches(
      [
        { daysBefore: 50, channel: 'organic_search' },
        { daysBefore: 40, channel: 'paid_social' },
        { daysBefore: 30, channel: 'email' },
        { daysBefore: 20, channel: 'webinar' },
        { daysBefore: 5, channel: 'email' },
      ],
      35,
    );
    await sql(`insert into lead_events (id, lead_id, type, occurred_at, data) values (gen_random_uuid(), ?, 'stage_changed', ?, '{"from": "sql", "to": "opportunity"}')`, [
      leadId,
      new Date(conversionAt.getTime() - 15 * DAY),
    ]);
    const conversionId = await convert(leadId, 100_000);
    await run(conversionId);
    const w = (await credits(conversionId)).filter((r) => r.model === 'w_shaped');
    const byChannelDay = Object.fromEntries(w.map((r) => [r.channel + ':' + r.revenue_minor, Number(r.credit)]));
    // First touch 30 %, the paid social visit before the lead's creation 30 %, the webinar before the opportunity 30 %, the two emails 5 % each.
    expect(byChannelDay).toEqual({ 'organic_search:30000': expect.closeTo(0.3, 12), 'paid_social:30000': expect.closeTo(0.3, 12), 'webinar:30000': expect.closeTo(0.3, 12), 'email:5000': expect.closeTo(0.05, 12) });
    expect(w).toHaveLength(5);
  });

  it('adds the data-driven models once their channel weights exist', async () => {
    await sql(`insert into attribution_weights (model, channel, weight, computed_at) values ('markov', 'email', 0.2, now()), ('markov', 'paid_search', 0.6, now()), ('shapley', 'email', 3, now()), ('shapley', 'paid_search', 1, now())
               on conflict (model, channel) do update set weight = excluded.weight`);
    const leadId = await leadWithTouches([{ daysBefore: 9, channel: 'paid_search', campaign: true }, { daysBefore: 3, channel: 'email', campaign: true }]);
    const conversionId = await convert(leadId, 800);
    await run(conversionId);
    const rows = await credits(conversionId);
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set(ATTRIBUTION_MODELS));
    const share = (model: string, channel: string) => rows.find((r) => r.model === model && r.channel === channel)!;
    expect(Number(share('markov', 'paid_search').credit)).toBeCloseTo(0.75, 12);
    expect(share('markov', 'paid_search').revenue_minor).toBe('600');
    expect(Number(share('shapley', 'email').credit)).toBeCloseTo(0.75, 12);
    expect((await rollupsAgreeWithCredits())[0].n).toBe(0);
  });

  it('keeps the roll-ups equal to the credits when a conversion or a campaign is deleted', async () => {
    const em = orm.em.fork();
    const flow = em.create(Flow, { name: 'Short-lived' });
    const version = em.create(FlowVersion, { flow, version: 1, definition: { entry: 'x', steps: { x: { type: 'exit' } } } });
    const doomed = em.create(Campaign, { name: 'Doomed', flow, flowVersion: version, channel: 'email', status: 'running', audience: {}, currency: 'EUR' });
    await em.flush();
    const leadId = await leadWithTouches([{ daysBefore: 3, channel: 'email' }]);
    await sql('update touchpoints set campaign_id = ? where lead_id = ?', [doomed.id, leadId]);
    const kept = await convert(leadId, 700);
    const dropped = await convert(leadId, 300);
    await run(kept);
    await run(dropped);
    const campaignRevenue = async () =>
      (await sql<{ revenue: string | null }>(`select sum(revenue_minor)::text as revenue from attribution_rollups where campaign_key = ? and model = 'linear'`, [doomed.id]))[0].revenue;
    expect(await campaignRevenue()).toBe('1000');

    await sql('delete from conversions where id = ?', [dropped]);
    expect(await campaignRevenue()).toBe('700');
    expect((await rollupsAgreeWithCredits())[0].n).toBe(0);

    // The campaign goes; its credits stay, without a campaign, and so do the roll-ups.
    await sql('delete from campaigns where id = ?', [doomed.id]);
    expect(await campaignRevenue()).toBe('0');
    expect((await rollupsAgreeWithCredits())[0].n).toBe(0);
  });

  it('answers, without failing, for a conversion deleted before its turn', async () => {
    await expect(run(randomUUID())).resolves.toMatchObject({ credits: 0, gone: true });
  });

  it('gives a conversion without touches in its window no credits', async () => {
    const leadId = await leadWithTouches([{ daysBefore: 200, channel: 'email' }]);
    const conversionId = await convert(leadId, 1_000);
    await expect(run(conversionId)).resolves.toMatchObject({ touches: 0, credits: 0 });
    expect(await credits(conversionId)).toEqual([]);
  });
  describe('attributing every conversion again, page by page', () => {
    /** Runs the re-attribution as a retry would after `resumeFrom`, collecting its heartbeats. */
    async function reattribute(resumeFrom?: ReattributionProgress): Promise<{ conversions: number; heartbeats: ReattributionProgress[] }> {
      const env = new MockActivityEnvironment({ heartbeatDetails: resumeFrom }, { logger: new DefaultLogger('ERROR') });
      const heartbeats: ReattributionProgress[] = [];
      env.on('heartbeat', (details: ReattributionProgress) => heartbeats.push(details));
      const { conversions } = (await env.run(reattributeConversions)) as Awaited<ReturnType<typeof reattributeConversions>>;
      return { conversions, heartbeats };
    }

    /** Conversions of many shapes: several touches, an opportunity, repeated and direct channels, other currencies, no value, no touch in the window. */
    async function conversionsOfManyShapes(): Promise<string[]> {
      const opportunityDaysBefore = async (leadId: string, days: number) =>
        sql(`insert into lead_events (id, lead_id, type, occurred_at, data) values (gen_random_uuid(), ?, 'stage_changed', ?, '{"from": "sql", "to": "opportunity"}')`, [
          leadId,
          new Date(conversionAt.getTime() - days * DAY),
        ]);
      const a = await leadWithTouches(
        [
          { daysBefore: 60, channel: 'organic_search' },
          { daysBefore: 30, channel: 'paid_search', campaign: true },
          { daysBefore: 12, channel: 'email', campaign: true },
          { daysBefore: 2, channel: 'email', campaign: true },
        ],
        45,
      );
      await opportunityDaysBefore(a, 10);
      const b = await leadWithTouches([{ daysBefore: 5, channel: 'direct' }, { daysBefore: 4, channel: 'direct' }, { daysBefore: 1, channel: 'paid_social', campaign: true }]);
      const c = await leadWithTouches([{ daysBefore: 7, channel: 'webinar' }]);
      const d = await leadWithTouches([{ daysBefore: 150, channel: 'email' }]);
      return [await convert(a, 12_345), await convert(a, 0), await convert(b, 999, 'USD'), await convert(b, 1_001, 'JPY'), await convert(c, 5_000), await convert(d, 700)];
    }

    const creditsOf = (ids: string[]) =>
      sql<Record<string, unknown>>(
        `select conversion_id, model, touchpoint_id, campaign_id, channel, credit, revenue_minor, currency, converted_at from attribution_credits
         where conversion_id = any(?::uuid[]) order by conversion_id, model, touchpoint_id`,
        [`{${ids.join(',')}}`],
      );

    beforeAll(async () => {
      await sql(`insert into attribution_weights (model, channel, weight, computed_at) values
                   ('markov', 'email', 0.3, now()), ('markov', 'paid_search', 0.5, now()), ('markov', 'webinar', 0.1, now()),
                   ('shapley', 'email', 2, now()), ('shapley', 'paid_social', 1, now()), ('shapley', 'organic_search', 0.5, now())
                 on conflict (model, channel) do update set weight = excluded.weight`);
    });

    it('gives exactly the credits that attributing one conversion at a time gives, over several pages', async () => {
      const ids = await conversionsOfManyShapes();
      for (const id of ids) await run(id);
      const oneAtATime = await creditsOf(ids);
      expect(oneAtATime.length).toBeGreaterThan(50);

      // Credits gone or wrong, as after a crash or under old weights: the re-attribution puts them right.
      await sql('delete from attribution_credits where conversion_id = any(?::uuid[])', [`{${ids.slice(0, 3).join(',')}}`]);
      await sql('update attribution_credits set credit = credit / 2, revenue_minor = 1 where conversion_id = any(?::uuid[])', [`{${ids.slice(3).join(',')}}`]);
      const { conversions, heartbeats } = await reattribute();

      const [{ n: all, last }] = await sql<{ n: number; last: string }>('select count(*)::int as n, max(id::text) as last from conversions');
      expect(conversions).toBe(all);
      expect(heartbeats).toHaveLength(Math.ceil(all / 3));
      expect(heartbeats.at(-1)).toEqual({ cursor: last, conversions: all });
      expect(await creditsOf(ids)).toEqual(oneAtATime);
      expect((await rollupsAgreeWithCredits())[0].n).toBe(0);
    });

    it('leaves every conversion with credits summing to 1 and revenue summing to its value under every model', async () => {
      const ids = await conversionsOfManyShapes();
      await reattribute();
      const sums = await sql<{ conversion_id: string; model: string; credits: number; revenue: string; value: string }>(
        `select a.conversion_id, a.model, sum(a.credit) as credits, sum(a.revenue_minor)::text as revenue, c.value_minor::text as value
         from attribution_credits a join conversions c on c.id = a.conversion_id group by a.conversion_id, a.model, c.value_minor`,
      );
      expect(sums.length).toBeGreaterThan(0);
      for (const s of sums) {
        expect(Math.abs(Number(s.credits) - 1)).toBeLessThan(1e-12);
        expect(s.revenue).toBe(s.value);
      }
      // Every model credits each of these conversions, but the one without a touch in its window.
      for (const id of ids.slice(0, 5)) expect(new Set(sums.filter((s) => s.conversion_id === id).map((s) => s.model))).toEqual(new Set(ATTRIBUTION_MODELS));
      expect(sums.filter((s) => s.conversion_id === ids[5])).toEqual([]);
    });

    it('carries on after the last page an earlier attempt heartbeated, and counts what that attempt did', async () => {
      const ids = (await conversionsOfManyShapes()).slice(0, 5).sort();
      await reattribute();
      await sql('delete from attribution_credits where conversion_id = any(?::uuid[])', [`{${ids.join(',')}}`]);
      const cursor = ids[2];

      const { conversions } = await reattribute({ cursor, conversions: 40 });
      const [{ n: after }] = await sql<{ n: number }>('select count(*)::int as n from conversions where id > ?', [cursor]);
      expect(conversions).toBe(40 + after);
      const credited = new Set((await creditsOf(ids)).map((r) => r.conversion_id));
      expect(ids.map((id) => credited.has(id))).toEqual([false, false, false, true, true]);
      expect((await rollupsAgreeWithCredits())[0].n).toBe(0);
    });
  });
});
