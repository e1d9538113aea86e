import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import pino from 'pino';
import { ATTRIBUTION_MODELS, markovModel, parsePathsCsv, PathStats, shapleyModel } from '@ce/attribution';
import { createOrmConfig } from '@ce/db';
import { createAttributionRefreshActivities } from '../../../activities/attribution/attribution.activities';
import { rollupDriftSql } from '../../../activities/attribution/rollup-drift';
import { E2E_ENV } from '../../support/e2e-env';
import { createSiblingDatabase } from '../../support/sibling-database';

const MINUTE = 60_000;
const HALF_LIFE_MS = 7 * 86_400_000;

/**
 * The 10,000 aggregated paths of attribution-paths.csv (12 channels) loaded into a database of
 * their own as leads, touchpoints and conversions, then attributed end to end the way the worker
 * does it: the data-driven weights refreshed from the stored journeys, and every conversion
 * attributed under every model. Each path of the file becomes its converting journeys (one lead
 * and one conversion each, the path's value shared among them in whole cents) and its
 * non-converting ones (a lead with the same touches and no conversion). Touches are a minute
 * apart and end a minute before the conversion, a day ago.
 */
describe('the aggregated paths, attributed end to end', () => {
  let orm: MikroORM;
  let drop: () => Promise<void>;
  const paths = parsePathsCsv(readFileSync(join(__dirname, '..', '..', 'fixtures', 'attribution-paths.csv'), 'utf8'));
  const converting = paths.filter((p) => p.conversions > 0);
  const totalConversions = paths.reduce((s, p) => s + p.conversions, 0);
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A) =>
    new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }).run(activity, ...args);
  /** Channel → credits summed over all conversions, under one model. */
  const creditsByChannel = async (model: string) =>
    new Map(
      (await sql<{ channel: string; credit: number }>('select channel, sum(credit) as credit from attribution_credits where model = ? group by channel', [model])).map((r) => [
        r.channel,
        Number(r.credit),
      ]),
    );

  beforeAll(async () => {
    const shared = process.env[E2E_ENV.databaseUrl];
    if (!shared) throw new Error('The test global set-up did not run');
    const database = await createSiblingDatabase(shared, 'ce_paths');
    drop = database.drop;
    orm = await MikroORM.init(createOrmConfig({ databaseUrl: database.url, poolSize: 4 }));

    const convertedAt = new Date(Date.now() - 86_400_000);
    const rows = paths.map((p, i) => ({ i, channels: p.channels, conversions: p.conversions, nulls: p.nulls, valueMinor: Math.round(p.value * 100) }));
    await sql(
      `create temp table journeys on commit preserve rows as
       select gen_random_uuid() as lead_id, x.i, g.n, x.channels, g.n <= x.conversions as converts,
              x.value_minor / greatest(x.conversions, 1) + case when g.n <= x.value_minor % greatest(x.conversions, 1) then 1 else 0 end as value_minor
         from jsonb_to_recordset(?::jsonb) as x(i int, channels text[], conversions int, nulls int, value_minor bigint)
         cross join lateral generate_series(1, x.conversions + x.nulls) as g(n)`,
      [JSON.stringify(rows.map((r) => ({ i: r.i, channels: r.channels, conversions: r.conversions, nulls: r.nulls, value_minor: r.valueMinor })))],
    );
    await sql(`insert into leads (id, email, attributes) select lead_id, 'path' || i || '-' || n || '@example.com', '{}' from journeys`);
    await sql(
      `insert into touchpoints (id, lead_id, channel, type, occurred_at, properties)
       select gen_random_uuid(), j.lead_id, t.channel, 'visit', ?::timestamptz - (cardinality(j.channels) - t.k + 1) * interval '1 minute', '{}'
         from journeys j cross join lateral unnest(j.channels) with ordinality as t(channel, k)`,
      [convertedAt],
    );
    await sql(
      `insert into conversions (id, lead_id, type, value_minor, currency, occurred_at)
       select gen_random_uuid(), lead_id, 'purchase', value_minor, 'EUR', ?::timestamptz from journeys where converts`,
      [convertedAt],
    );
    await sql('drop table journeys');

    const refresh = createAttributionRefreshActivities({ orm, logger: pino({ level: 'silent' }) });
    await run(refresh.refreshAttributionWeights);
    await run(refresh.reattributeConversions);
  }, 600_000);

  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  it('stores the journeys of every path', async () => {
    const [counts] = await sql<{ leads: string; touchpoints: string; conversions: string }>(
      'select (select count(*) from leads) as leads, (select count(*) from touchpoints) as touchpoints, (select count(*) from conversions) as conversions',
    );
    const journeys = paths.reduce((s, p) => s + p.conversions + p.nulls, 0);
    expect(Number(counts.leads)).toBe(journeys);
    expect(Number(counts.touchpoints)).toBe(paths.reduce((s, p) => s + p.channels.length * (p.conversions + p.nulls), 0));
    expect(Number(counts.conversions)).toBe(totalConversions);
  });

  it('refreshes the Markov and Shapley weights to what the models give over the file', async () => {
    // The stored journeys weigh paths by conversions (their values are in many currencies in general).
    const byCount: PathStats[] = paths.map((p) => ({ ...p, value: p.conversions }));
    const stored = await sql<{ model: string; channel: string; weight: number }>('select model, channel, weight from attribution_weights order by model, channel');
    for (const [model, result] of [['markov', markovModel(byCount)], ['shapley', shapleyModel(byCount)]] as const) {
      const expected = result.channels.map((c) => [c.channel, c.weight] as const).sort(([a], [b]) => (a < b ? -1 : 1));
      const got = stored.filter((s) => s.model === model).map((s) => [s.channel, Number(s.weight)] as const);
      expect(got.map(([c]) => c)).toEqual(expected.map(([c]) => c));
      got.forEach(([, weight], i) => expect(weight).toBeCloseTo(expected[i][1], 9));
    }
  });

  it('credits every conversion under every model with shares adding up to 1 and revenue adding up to its value', async () => {
    const [check] = await sql<{ pairs: string; wrong: string }>(
      `select count(*) as pairs, count(*) filter (where abs(s.credit - 1) > 1e-9 or s.revenue <> c.value_minor) as wrong
         from (select conversion_id, model, sum(credit) as credit, sum(revenue_minor) as revenue from attribution_credits group by 1, 2) s
         join conversions c on c.id = s.conversion_id`,
    );
    expect(Number(check.pairs)).toBe(totalConversions * ATTRIBUTION_MODELS.length);
    expect(Number(check.wrong)).toBe(0);
  });

  it('gives each channel what the rule-based models give it, path by path', async () => {
    const expected: Record<string, Map<string, number>> = {};
    const add = (model: string, channel: string, amount: number) => {
      const map = (expected[model] ??= new Map());
      map.set(channel, (map.get(channel) ?? 0) + amount);
    };
    for (const p of converting) {
      const n = p.channels.length;
      const c = p.conversions;
      add('first_touch', p.channels[0], c);
      add('last_touch', p.channels[n - 1], c);
      // No channel of the file is direct, so the last non-direct touch is the last touch.
      add('last_non_direct', p.channels[n - 1], c);
      const decay = p.channels.map((_, k) => 2 ** (-((n - k) * MINUTE) / HALF_LIFE_MS));
      const decayTotal = decay.reduce((s, w) => s + w, 0);
      p.channels.forEach((channel, k) => {
        add('linear', channel, c / n);
        add('time_decay', channel, (c * decay[k]) / decayTotal);
        const position = n === 1 ? 1 : n === 2 ? 0.5 : k === 0 || k === n - 1 ? 0.4 : 0.2 / (n - 2);
        add('position_based', channel, c * position);
      });
    }
    for (const [model, channels] of Object.entries(expected)) {
      const got = await creditsByChannel(model);
      expect([...got.keys()].sort()).toEqual([...channels.keys()].sort());
      for (const [channel, credit] of channels) expect(got.get(channel)).toBeCloseTo(credit, 6);
    }
  });

  it('keeps both roll-ups equal to the credits they sum', async () => {
    // Thousands of float credits go into each roll-up row here; their sums may differ in the last digits.
    const [check] = await sql<{ n: number }>(rollupDriftSql(1e-6));
    expect(check.n).toBe(0);
  });
});
