import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { DAY_MS, decayWeight, ScoringModel } from '@ce/scoring';
import { drainScoreQueueOnce } from '@activities/scoring/score-updater';
import { rescoreLeads } from '@activities/scoring/rescore-leads';
import { currentScoringModel } from '@activities/scoring/scoring-models';
import { explainLeadScore } from '@activities/scoring/explain-lead';
import { openTestDatabase } from '../../support/db';

/**
 * Lead scoring on real PostgreSQL: the facts statement and the scores it gives, the lifecycle
 * moves (once, even when two scorers race), and the score queue the triggers keep.
 *
 * The model is saved under a version of its own while the file runs and deleted afterwards
 * (triggers queue leads only while a model exists); every test works on leads of its own.
 */
describe('lead scoring', () => {
  let orm: MikroORM;
  const tag = randomUUID().slice(0, 8);
  const VERSION = 900_000 + Math.floor(Math.random() * 90_000);
  const NOW = new Date('2030-06-01T12:00:00Z');
  const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);

  const MODEL: ScoringModel = {
    rules: [
      { id: 'director', kind: 'fit', name: 'Director', points: 15, when: { field: 'jobTitle', op: 'contains', value: 'director' } },
      { id: 'big-company', kind: 'fit', name: 'Big company', points: 10, when: { attribute: `${tag}_seats`, op: 'gte', value: 100 } as never },
      {
        id: 'pricing',
        kind: 'behaviour',
        name: 'Visited pricing',
        points: 10,
        event: { type: ['visit'], properties: { path: '/pricing' } },
        cap: null,
        halfLifeDays: 7,
        lookbackDays: 90,
      },
      { id: 'clicks', kind: 'behaviour', name: 'Clicked an email', points: 5, event: { type: ['click'], channel: ['email'] }, cap: 12, halfLifeDays: null, lookbackDays: 365 },
      { id: 'unsubscribed', kind: 'negative', name: 'Unsubscribed', points: -20, when: { consent: 'email', status: 'unsubscribed' }, inactiveDays: null },
      { id: 'inactive', kind: 'negative', name: 'Gone quiet', points: -5, when: null, inactiveDays: 60 },
    ],
    thresholds: { lead: 10, mql: 40 },
  };

  async function lead(fields: { jobTitle?: string; seats?: number; createdDaysAgo?: number } = {}): Promise<string> {
    const [row] = await sql<{ id: string }>(
      `insert into leads (id, email, job_title, attributes, created_at) values (gen_random_uuid(), ?, ?, ?::jsonb, ?) returning id`,
      [`${tag}-${randomUUID()}@example.com`, fields.jobTitle ?? null, JSON.stringify(fields.seats === undefined ? {} : { [`${tag}_seats`]: fields.seats }), daysAgo(fields.createdDaysAgo ?? 200)],
    );
    return row.id;
  }

  async function touch(leadId: string, type: string, ageDays: number, extra: { channel?: string; properties?: Record<string, unknown> } = {}): Promise<void> {
    await sql(`insert into touchpoints (id, lead_id, channel, type, occurred_at, properties) values (gen_random_uuid(), ?, ?, ?, ?, ?::jsonb)`, [
      leadId,
      extra.channel ?? 'web',
      type,
      daysAgo(ageDays),
      JSON.stringify(extra.properties ?? {}),
    ]);
  }

  async function score(...leadIds: string[]) {
    const em = orm.em.fork();
    return em.transactional(async (tx) => rescoreLeads(tx, leadIds, NOW, await currentScoringModel(tx)));
  }

  const stored = async (leadId: string) => (await sql<{ score: number; stage: string }>('select score, lifecycle_stage as stage from leads where id = ?', [leadId]))[0];

  beforeAll(async () => {
    orm = await openTestDatabase();
    await sql(`insert into attribute_definitions (id, name, type) values (gen_random_uuid(), ?, 'number')`, [`${tag}_seats`]);
    // Another file's model would be in force instead of this one.
    const [{ n }] = await sql<{ n: number }>('select count(*)::int as n from scoring_models');
    if (n > 0) throw new Error('A scoring model is left in the test database; this test needs it empty');
    await sql(`insert into scoring_models (version, model) values (?, ?::jsonb)`, [VERSION, JSON.stringify(MODEL)]);
  });

  afterAll(async () => {
    if (!orm) return;
    await sql('delete from scoring_models where version = ?', [VERSION]);
    await sql('delete from leads where email like ?', [`${tag}-%`]);
    await sql('delete from attribute_definitions where name = ?', [`${tag}_seats`]);
    await orm.close(true);
  });

  it('adds up fit, decayed and capped behaviour, negative rules and the points flows gave, and stores the score with its contributions', async () => {
    const ada = await lead({ jobTitle: 'Marketing Director', seats: 250 });
    await touch(ada, 'visit', 0, { properties: { path: '/pricing', ref: 'ad' } });
    await touch(ada, 'visit', 7, { properties: { path: '/pricing' } });
    await touch(ada, 'visit', 14, { properties: { path: '/pricing' } });
    await touch(ada, 'visit', 120, { properties: { path: '/pricing' } }); // past the 90-day look-back
    await touch(ada, 'visit', 1, { properties: { path: '/blog' } }); // another page
    for (const age of [1, 2, 3]) await touch(ada, 'click', age, { channel: 'email' }); // 15 points, capped at 12
    await touch(ada, 'click', 2, { channel: 'social' }); // not email
    await sql(`insert into lead_score_adjustments (id, lead_id, points, reason, source) values (gen_random_uuid(), ?, 3, 'Webinar', 'flow')`, [ada]);

    const outcome = await score(ada);
    // 15 + 10 + 10 × (1 + 0.5 + 0.25) + 12 + 3 = 57.5 → 58; she reaches MQL (40).
    expect(outcome).toMatchObject({ scored: 1, changed: 1, moved: [{ leadId: ada, from: 'subscriber', to: 'mql', score: 58 }] });
    expect(await stored(ada)).toEqual({ score: 58, stage: 'mql' });
    const [row] = await sql<{ model_version: number; score: number; contributions: unknown[] }>('select model_version, score, contributions from lead_scores where lead_id = ?', [ada]);
    expect(row.model_version).toBe(VERSION);
    expect(row.contributions).toEqual([
      { ruleId: 'pricing', kind: 'behaviour', name: 'Visited pricing', points: 17.5, events: 3 },
      { ruleId: 'director', kind: 'fit', name: 'Director', points: 15 },
      { ruleId: 'clicks', kind: 'behaviour', name: 'Clicked an email', points: 12, events: 3, capped: true },
      { ruleId: 'big-company', kind: 'fit', name: 'Big company', points: 10 },
      { ruleId: 'adjustments', kind: 'adjustment', name: 'Points from flows', points: 3 },
    ]);
    const [event] = await sql<{ data: Record<string, unknown> }>(`select data from lead_events where lead_id = ? and type = 'stage_changed'`, [ada]);
    expect(event.data).toEqual({ from: 'subscriber', to: 'mql', source: 'scoring', cause: 'score', score: 58, modelVersion: VERSION });
  });

  it('weighs touchpoints in SQL exactly as decayWeight does, at any age', async () => {
    const ages = [0.25, 3, 6.5, 10, 33.3, 89];
    const grace = await lead();
    for (const age of ages) await touch(grace, 'visit', age, { properties: { path: '/pricing' } });
    const explanation = await explainLeadScore(orm.em.fork(), grace, NOW, await currentScoringModel(orm.em.fork()));
    const pricing = explanation!.contributions.find((c) => c.ruleId === 'pricing')!;
    const expected = ages.reduce((sum, age) => sum + 10 * decayWeight(age * DAY_MS, 7), 0);
    expect(pricing.points).toBeCloseTo(expected, 2);
    expect(pricing.touchpoints!.map((t) => t.weight)).toEqual(ages.map((age) => Math.round(decayWeight(age * DAY_MS, 7) * 1e4) / 1e4));
  });

  it('takes points away for an unsubscribe and for going quiet, and moves a subscriber to lead but never back', async () => {
    const quiet = await lead({ jobTitle: 'Director of Sales', createdDaysAgo: 300 });
    await touch(quiet, 'visit', 61, { properties: { path: '/home' } });
    await sql(`insert into lead_consents (id, lead_id, channel, status, changed_at, source) values (gen_random_uuid(), ?, 'email', 'unsubscribed', now(), 'api')`, [quiet]);
    expect((await score(quiet)).moved).toEqual([]);
    // 15 − 20 − 5 = −10.
    expect(await stored(quiet)).toEqual({ score: -10, stage: 'subscriber' });

    const newcomer = await lead({ seats: 500, createdDaysAgo: 30 }); // 30 days old: not quiet for 60 yet
    expect((await score(newcomer)).moved).toEqual([{ leadId: newcomer, from: 'subscriber', to: 'lead', score: 10 }]);
    // Its score falls below the lead threshold: it stays a lead.
    await sql(`update leads set attributes = '{}'::jsonb where id = ?`, [newcomer]);
    await score(newcomer);
    expect(await stored(newcomer)).toEqual({ score: 0, stage: 'lead' });
  });

  it('moves a lead once when two scorers race on it', async () => {
    const both = await lead({ jobTitle: 'Director', seats: 1000 });
    for (const age of [0, 0, 0]) await touch(both, 'visit', age, { properties: { path: '/pricing' } });
    const outcomes = await Promise.all([score(both), score(both)]);
    expect(outcomes.map((o) => o.moved.length).sort()).toEqual([0, 1]);
    const [{ n }] = await sql<{ n: number }>(`select count(*)::int as n from lead_events where lead_id = ? and type = 'stage_changed'`, [both]);
    expect(n).toBe(1);
    expect(await stored(both)).toEqual({ score: 55, stage: 'mql' });
  });

  it('queues a lead when it is added, does something, changes, changes consent or is given points, and not when only its score changes', async () => {
    const queued = async (leadId: string) => (await sql<{ n: number }>('select count(*)::int as n from score_queue where lead_id = ?', [leadId]))[0].n;
    const take = async (leadId: string) => sql('delete from score_queue where lead_id = ?', [leadId]);

    const lin = await lead();
    expect(await queued(lin)).toBe(1);
    await take(lin);
    await sql('update leads set score = 99, lifecycle_stage = ? where id = ?', ['sql', lin]);
    expect(await queued(lin)).toBe(0);
    await sql('update leads set job_title = job_title where id = ?', [lin]); // nothing changed
    expect(await queued(lin)).toBe(0);

    const changes: [string, () => Promise<unknown>][] = [
      ['a touchpoint', () => touch(lin, 'visit', 1)],
      ['a field', () => sql(`update leads set job_title = 'VP' where id = ?`, [lin])],
      ['an attribute', () => sql(`update leads set attributes = '{"x":1}'::jsonb where id = ?`, [lin])],
      ['consent', () => sql(`insert into lead_consents (id, lead_id, channel, status, changed_at, source) values (gen_random_uuid(), ?, 'email', 'subscribed', now(), 'api')`, [lin])],
      ['flow points', () => sql(`insert into lead_score_adjustments (id, lead_id, points, source) values (gen_random_uuid(), ?, 5, 'flow')`, [lin])],
    ];
    for (const [what, change] of changes) {
      await change();
      expect({ what, queued: await queued(lin) }).toEqual({ what, queued: 1 });
      await take(lin);
    }
  });

  it('drains the queue batch by batch, storing each score in the transaction that takes the lead off the queue', async () => {
    const leads = [await lead({ jobTitle: 'Director', createdDaysAgo: 10 }), await lead({ createdDaysAgo: 10 }), await lead({ seats: 120, createdDaysAgo: 10 })];
    const before = (await sql<{ n: number }>('select count(*)::int as n from score_queue'))[0].n;
    expect(before).toBeGreaterThanOrEqual(3);
    let scored = 0;
    for (let round = 0; round < 1000 && (await sql<{ n: number }>('select count(*)::int as n from score_queue'))[0].n > 0; round++)
      scored += (await drainScoreQueueOnce(orm, 50, NOW)).scored;
    expect(scored).toBe(before);
    expect(await Promise.all(leads.map(stored))).toEqual([
      { score: 15, stage: 'lead' },
      { score: 0, stage: 'subscriber' },
      { score: 10, stage: 'lead' },
    ]);
  });
});
