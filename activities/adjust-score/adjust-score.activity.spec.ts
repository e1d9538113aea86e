import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import pino from 'pino';
import type { ActionInput, ActionResult } from '@ce/contracts';
import { Campaign, CampaignStatus, Enrollment, Flow, FlowVersion, Lead } from '@ce/db';
import { openTestDatabase } from '../../tests/support/db';
import { createAdjustScoreActivities } from './adjust-score.activity';

/** The adjust_score activity on real PostgreSQL, run in a real activity context. */
describe('adjustScore', () => {
  let orm: MikroORM;
  let adjustScore: ReturnType<typeof createAdjustScoreActivities>['adjustScore'];
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);
  const run = (input: ActionInput): Promise<ActionResult> =>
    new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }).run(adjustScore, input);

  /** A running campaign with one enrolled lead whose score is `score`. */
  async function enrol(step: Record<string, unknown>, score = 0, status: CampaignStatus = 'running'): Promise<ActionInput> {
    const em = orm.em.fork();
    const flowStep = { type: 'adjust_score', ...step };
    const flow = em.create(Flow, { name: 'Scoring' });
    const version = em.create(FlowVersion, { flow, version: 1, definition: { entry: 'score', steps: { score: flowStep } } });
    const campaign = em.create(Campaign, { name: 'Guide download', flow, flowVersion: version, channel: 'email', status, audience: {}, currency: 'EUR' });
    const lead = em.create(Lead, { email: `${randomUUID()}@example.com`, score });
    const enrollment = em.create(Enrollment, { campaign, lead, flowVersion: version, workflowId: `test-${randomUUID()}` });
    await em.flush();
    return { campaignId: campaign.id, enrollmentId: enrollment.id, leadId: lead.id, stepId: 'score', step: flowStep };
  }
  const scoreOf = async (leadId: string) => (await sql<{ score: number }>('select score from leads where id = ?', [leadId]))[0].score;
  const events = (leadId: string) => sql<{ type: string; data: Record<string, unknown> }>('select type, data from lead_events where lead_id = ?', [leadId]);

  beforeAll(async () => {
    orm = await openTestDatabase();
    ({ adjustScore } = createAdjustScoreActivities({ orm, logger: pino({ level: 'silent' }) }));
  });
  afterAll(() => orm?.close(true));

  it('adds the points and explains the change on the lead\'s timeline', async () => {
    const input = await enrol({ points: 10, reason: 'Downloaded the guide' }, 5);
    await expect(run(input)).resolves.toEqual({ outcome: 'adjusted' });
    expect(await scoreOf(input.leadId)).toBe(15);
    expect(await events(input.leadId)).toEqual([
      {
        type: 'score_changed',
        data: { from: 5, to: 15, points: 10, reason: 'Downloaded the guide', source: 'flow', campaignId: input.campaignId, stepId: 'score' },
      },
    ]);
    const [ledger] = await sql('select step_type, outcome from step_runs where idempotency_key = ?', [`${input.enrollmentId}:score`]);
    expect(ledger).toEqual({ step_type: 'adjust_score', outcome: { outcome: 'adjusted', from: 5, to: 15 } });
  });

  it('adjusts once when the activity runs again for the same enrollment and step', async () => {
    const input = await enrol({ points: -3 }, 10);
    await run(input);
    await expect(run(input)).resolves.toEqual({ outcome: 'already_done' });
    expect(await scoreOf(input.leadId)).toBe(7);
    expect(await events(input.leadId)).toHaveLength(1);
  });

  it('adjusts once when two attempts run at the same time', async () => {
    const input = await enrol({ points: 4 }, 0);
    const outcomes = await Promise.all([run(input), run(input), run(input)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['adjusted', 'already_done', 'already_done']);
    expect(await scoreOf(input.leadId)).toBe(4);
  });

  it('does nothing while the campaign is paused', async () => {
    const input = await enrol({ points: 10 }, 0, 'paused');
    const failure = await run(input).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'CampaignPaused', nonRetryable: true });
    expect(await scoreOf(input.leadId)).toBe(0);
    expect(await sql('select 1 from step_runs where enrollment_id = ?', [input.enrollmentId])).toEqual([]);
  });
});
