import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from '@ce/db';
import { mulberry32, sigmoid } from '@ce/scoring/predictive';
import { currentPredictiveModel, storePredictions, trainAndStore } from '@activities/scoring/predictive-models';
import { E2E_ENV } from '../../support/e2e-env';
import { createSiblingDatabase } from '../../support/sibling-database';

/**
 * The predictive score on real PostgreSQL, in a database of its own so that only these leads are
 * learnt from: leads whose conversions follow their seats, plan and pricing-page visits (drawn
 * from known odds), a model fitted on them with its AUC on held-out leads, the predicted chances
 * stored per lead, and the plain answer when there are too few conversions.
 */
describe('predictive score', () => {
  let orm: MikroORM;
  let drop: () => Promise<void>;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(text, params);

  /** `n` leads; each converts with the odds the weights give, visits happen in the 90 days before. */
  async function makeLeads(n: number, seed: number, odds: (lead: { seats: number; pro: boolean; visits: number }) => number): Promise<void> {
    const random = mulberry32(seed);
    const ids: string[] = [];
    const attributes: string[] = [];
    const converted: boolean[] = [];
    const visits: number[] = [];
    for (let i = 0; i < n; i++) {
      const lead = { seats: Math.floor(random() * 500), pro: random() < 0.4, visits: Math.floor(random() * 6) };
      ids.push(`00000000-0000-4000-8000-${String(seed * 100_000 + i).padStart(12, '0')}`);
      attributes.push(JSON.stringify({ seats: lead.seats, plan: lead.pro ? 'pro' : 'free' }));
      converted.push(random() < sigmoid(odds(lead)));
      visits.push(lead.visits);
    }
    await sql(
      `insert into leads (id, email, attributes, created_at)
       select id, id::text || '@predict.example', a::jsonb, now() - interval '200 days' from unnest(?::uuid[], ?::text[]) as x(id, a)`,
      [`{${ids.join(',')}}`, `{${attributes.map((a) => `"${a.replace(/"/g, '\\"')}"`).join(',')}}`],
    );
    // Converted leads convert 10 days ago, and their visits come in the 90 days before that.
    await sql(
      `insert into conversions (id, lead_id, type, value_minor, currency, occurred_at)
       select gen_random_uuid(), id, 'purchase', 1000, 'EUR', now() - interval '10 days' from unnest(?::uuid[], ?::bool[]) as x(id, c) where c`,
      [`{${ids.join(',')}}`, `{${converted.join(',')}}`],
    );
    await sql(
      `insert into touchpoints (id, lead_id, channel, type, occurred_at, properties)
       select gen_random_uuid(), x.id, 'web', 'visit', now() - interval '11 days' - g * interval '5 days', '{}'::jsonb
         from unnest(?::uuid[], ?::int[]) as x(id, v) cross join lateral generate_series(1, x.v) g`,
      [`{${ids.join(',')}}`, `{${visits.join(',')}}`],
    );
  }

  beforeAll(async () => {
    const sibling = await createSiblingDatabase(process.env[E2E_ENV.databaseUrl]!, 'ce_predictive');
    drop = sibling.drop;
    orm = await MikroORM.init(createOrmConfig({ databaseUrl: sibling.url, poolSize: 3 }));
    await sql(`insert into attribute_definitions (id, name, type) values (gen_random_uuid(), 'seats', 'number')`);
    await sql(`insert into attribute_definitions (id, name, type, options) values (gen_random_uuid(), 'plan', 'enum', '["free","pro"]'::jsonb)`);
  });

  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  it('says plainly that there are too few conversions to fit, and stores that answer', async () => {
    await makeLeads(120, 1, () => -3.5);
    const training = await trainAndStore(orm.em.fork());
    expect(training.status).toBe('insufficient_data');
    expect(training.reason).toMatch(/^\d+ converted leads?; at least 20 are needed to fit a predictive score\.$/);
    expect(training.version).toBe(1);
    expect(await currentPredictiveModel(orm.em.fork())).toBeNull();
  });

  it('fits a model on historical leads, measures it on held-out leads, and gives each lead its chance', async () => {
    await sql('delete from leads');
    await makeLeads(3000, 2, ({ seats, pro, visits }) => -3 + seats / 200 + (pro ? 1 : 0) + 0.6 * visits);
    const training = await trainAndStore(orm.em.fork());
    expect(training).toMatchObject({ version: 2, status: 'trained', rows: 3000, reason: null });
    expect(training.auc).toBeGreaterThan(0.75);

    const current = (await currentPredictiveModel(orm.em.fork()))!;
    expect(current.version).toBe(2);
    const weight = (feature: string) => current.model.weights[current.model.featureNames.indexOf(feature)];
    for (const feature of ['attribute:seats', 'touches:visit']) expect(weight(feature)).toBeGreaterThan(0.2);
    // The plan's two flags share its effect between them.
    expect(weight('attribute:plan=pro') - weight('attribute:plan=free')).toBeGreaterThan(0.2);

    // A lead with many seats, the pro plan and recent visits against one with none of it.
    const [keen, cold] = ['00000000-0000-4000-8000-999999999991', '00000000-0000-4000-8000-999999999992'];
    await sql(`insert into leads (id, email, attributes) values (?, 'keen@predict.example', '{"seats": 480, "plan": "pro"}'), (?, 'cold@predict.example', '{"seats": 5, "plan": "free"}')`, [keen, cold]);
    await sql(`insert into touchpoints (id, lead_id, channel, type, occurred_at, properties) select gen_random_uuid(), ?, 'web', 'visit', now() - g * interval '3 days', '{}' from generate_series(1, 5) g`, [keen]);
    await orm.em.fork().transactional((tx) => storePredictions(tx, [keen, cold], current));
    const chances = await sql<{ lead_id: string; predicted: number; predictive_version: number }>('select lead_id, predicted, predictive_version from lead_scores where lead_id in (?, ?)', [keen, cold]);
    const chance = (id: string) => chances.find((c) => c.lead_id === id)!;
    expect(chance(keen).predictive_version).toBe(2);
    expect(chance(keen).predicted).toBeGreaterThan(0.8);
    expect(chance(cold).predicted).toBeLessThan(0.2);
  });
});
