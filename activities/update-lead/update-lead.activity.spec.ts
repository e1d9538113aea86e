import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import pino from 'pino';
import type { ActionInput, ActionResult } from '@ce/contracts';
import { Campaign, Enrollment, Flow, FlowVersion, Lead, LifecycleStage, createOrmConfig } from '@ce/db';
import { E2E_ENV } from '../../tests/support/e2e-env';
import { createSiblingDatabase } from '../../tests/support/sibling-database';
import { createUpdateLeadActivities } from './update-lead.activity';

/**
 * The update_lead activity on real PostgreSQL, run in a real activity context. A database of
 * its own: the attributes it declares must not change what other suites' leads may hold.
 */
describe('updateLead', () => {
  let orm: MikroORM;
  let drop: () => Promise<void>;
  let updateLead: ReturnType<typeof createUpdateLeadActivities>['updateLead'];
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);
  const run = (input: ActionInput): Promise<ActionResult> => new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }).run(updateLead, input);

  interface LeadStart {
    attributes?: Record<string, unknown>;
    lifecycleStage?: LifecycleStage;
    tags?: string[];
  }

  /** A running campaign with one enrolled lead, about to run `step`. */
  async function enrol(step: Record<string, unknown>, start: LeadStart = {}): Promise<ActionInput> {
    const em = orm.em.fork();
    const flowStep = { type: 'update_lead', ...step };
    const flow = em.create(Flow, { name: 'Qualify' });
    const version = em.create(FlowVersion, { flow, version: 1, definition: { entry: 'qualify', steps: { qualify: flowStep } } });
    const campaign = em.create(Campaign, { name: 'Webinar', flow, flowVersion: version, channel: 'email', status: 'running', audience: {}, currency: 'EUR' });
    const lead = em.create(Lead, { email: `${randomUUID()}@example.com`, attributes: start.attributes ?? {}, lifecycleStage: start.lifecycleStage ?? 'lead' });
    const enrollment = em.create(Enrollment, { campaign, lead, flowVersion: version, workflowId: `test-${randomUUID()}` });
    await em.flush();
    // Tags are set in SQL: the entity's array mapping is not what is under test.
    await sql('update leads set tags = array(select jsonb_array_elements_text(?::jsonb)) where id = ?', [JSON.stringify(start.tags ?? []), lead.id]);
    return { campaignId: campaign.id, enrollmentId: enrollment.id, leadId: lead.id, stepId: 'qualify', step: flowStep };
  }
  const leadRow = async (id: string) =>
    (await sql<{ attributes: Record<string, unknown>; lifecycle_stage: string; tags: string[] }>('select attributes, lifecycle_stage, tags from leads where id = ?', [id]))[0];
  const events = (leadId: string) =>
    sql<{ type: string; data: Record<string, unknown> }>(`select type, data from lead_events where lead_id = ? order by type, data->>'attribute', data->>'tag'`, [leadId]);
  const failureOf = (input: ActionInput) => run(input).then(() => null, (error: unknown) => error);

  beforeAll(async () => {
    const shared = process.env[E2E_ENV.databaseUrl];
    if (!shared) throw new Error('The test global set-up did not run');
    const database = await createSiblingDatabase(shared, 'ce_update_lead');
    drop = database.drop;
    orm = await MikroORM.init(createOrmConfig({ databaseUrl: database.url, poolSize: 5 }));
    ({ updateLead } = createUpdateLeadActivities({ orm, logger: pino({ level: 'silent' }) }));
    for (const [name, type, options] of [['plan', 'enum', ['free', 'pro']], ['seats', 'number', null], ['renewal', 'date', null]] as const)
      await sql('insert into attribute_definitions (id, name, type, required, options) values (gen_random_uuid(), ?, ?, false, ?)', [
        name,
        type,
        options ? JSON.stringify(options) : null,
      ]);
  });
  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  it('sets attributes and the stage, adds and removes tags, and puts each change on the timeline', async () => {
    const input = await enrol(
      { set: { attributes: { plan: 'pro', seats: 12, renewal: '2027-06-01', legacy: null }, lifecycleStage: 'mql' }, addTags: ['webinar', 'vip'], removeTags: ['cold'] },
      { attributes: { plan: 'free', legacy: 'x', kept: true }, tags: ['cold', 'vip', 'newsletter'] },
    );
    await expect(run(input)).resolves.toEqual({ outcome: 'updated' });

    expect(await leadRow(input.leadId)).toEqual({
      attributes: { plan: 'pro', seats: 12, renewal: '2027-06-01T00:00:00.000Z', kept: true },
      lifecycle_stage: 'mql',
      tags: ['vip', 'newsletter', 'webinar'],
    });
    const at = { source: 'flow', campaignId: input.campaignId, stepId: 'qualify' };
    expect(await events(input.leadId)).toEqual([
      { type: 'attribute_changed', data: { attribute: 'legacy', from: 'x', to: null, ...at } },
      { type: 'attribute_changed', data: { attribute: 'plan', from: 'free', to: 'pro', ...at } },
      { type: 'attribute_changed', data: { attribute: 'renewal', from: null, to: '2027-06-01T00:00:00.000Z', ...at } },
      { type: 'attribute_changed', data: { attribute: 'seats', from: null, to: 12, ...at } },
      { type: 'stage_changed', data: { from: 'lead', to: 'mql', ...at } },
      { type: 'tag_added', data: { tag: 'webinar', ...at } },
      { type: 'tag_removed', data: { tag: 'cold', ...at } },
    ]);
  });

  it('changes the lead once when the activity runs again for the same enrollment and step', async () => {
    const input = await enrol({ set: { lifecycleStage: 'sql' }, addTags: ['demo'] });
    await run(input);
    // Someone moves the lead on in between; a replayed step must not move it back.
    await sql(`update leads set lifecycle_stage = 'opportunity' where id = ?`, [input.leadId]);
    await expect(run(input)).resolves.toEqual({ outcome: 'already_done' });
    expect(await leadRow(input.leadId)).toMatchObject({ lifecycle_stage: 'opportunity', tags: ['demo'] });
    expect((await events(input.leadId)).map((e) => e.type)).toEqual(['stage_changed', 'tag_added']);
  });

  it('stays done on a repeat even when the attribute has been undeclared since', async () => {
    await sql(`insert into attribute_definitions (id, name, type, required) values (gen_random_uuid(), 'budget', 'number', false)`);
    const input = await enrol({ set: { attributes: { budget: 5000 } } });
    await run(input);
    await sql(`delete from attribute_definitions where name = 'budget'`);
    await expect(run(input)).resolves.toEqual({ outcome: 'already_done' });
    expect((await leadRow(input.leadId)).attributes).toEqual({ budget: 5000 });
  });

  it('records a step that finds nothing to change, without timeline events', async () => {
    const input = await enrol({ set: { attributes: { plan: 'pro' } }, addTags: ['vip'] }, { attributes: { plan: 'pro' }, tags: ['vip'] });
    await expect(run(input)).resolves.toEqual({ outcome: 'unchanged' });
    expect(await events(input.leadId)).toEqual([]);
    expect(await sql('select outcome from step_runs where enrollment_id = ?', [input.enrollmentId])).toEqual([{ outcome: { outcome: 'unchanged' } }]);
  });

  it('keeps tags with commas, quotes and the word NULL as written', async () => {
    const input = await enrol({ addTags: ['a,b', 'say "hi"', 'NULL'] });
    await run(input);
    expect((await leadRow(input.leadId)).tags).toEqual(['a,b', 'say "hi"', 'NULL']);
  });

  it('fails for good, naming the attribute, when a value does not fit its declaration', async () => {
    const input = await enrol({ set: { attributes: { plan: 'platinum' } } }, { attributes: { plan: 'free' } });
    const failure = await failureOf(input);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'LeadValueInvalid', nonRetryable: true, message: expect.stringContaining('attribute "plan" must be one of free, pro') });
    expect(await leadRow(input.leadId)).toMatchObject({ attributes: { plan: 'free' } });
    expect(await sql('select 1 from step_runs where enrollment_id = ?', [input.enrollmentId])).toEqual([]);
  });

  it('fails for good when an attribute is no longer declared', async () => {
    const input = await enrol({ set: { attributes: { region: 'emea' } } });
    expect(await failureOf(input)).toMatchObject({ type: 'LeadValueInvalid', nonRetryable: true, message: expect.stringContaining('attribute "region" is not a declared attribute') });
  });

  it('does nothing once the campaign is cancelled', async () => {
    const input = await enrol({ addTags: ['late'] });
    await sql(`update campaigns set status = 'cancelled' where id = ?`, [input.campaignId]);
    expect(await failureOf(input)).toMatchObject({ type: 'CampaignEnded', nonRetryable: true });
    expect((await leadRow(input.leadId)).tags).toEqual([]);
  });
});
