import { ApplicationFailure } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import {
  EngagementSignal,
  engagementSignal,
  exitSignal,
  JourneyOutcome,
  NurtureInput,
  NurtureMember,
  NurtureResult,
  pauseSignal,
  progressQuery,
  resumeSignal,
  TASK_QUEUES,
} from '@ce/contracts';
import { advance, batchActivityName, FlowDefinition, FlowStep, initialFlowState, splitBucket, StepRegistry } from '@ce/flows';
import { ACTION_STEP_TYPES } from '@activities/step-types';
import { memberRetryDelay, type nurture } from '@workflows/nurture.workflow';
import { timeSkippingEnvironment } from '../support/time-skipping';
import { BATCH_ACTIVITY_NAMES, BatchCall, RecordingActivities, REMINDER_TEMPLATE, sendEmail, WELCOME_TEMPLATE } from './nurture-fakes';

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** welcome email → wait 3 days → reminder email. */
const WELCOME_WAIT_REMINDER: FlowDefinition = {
  entry: 'welcome',
  steps: {
    welcome: sendEmail(WELCOME_TEMPLATE, 'hold'),
    hold: { type: 'wait', duration: '3d', next: 'reminder' },
    reminder: sendEmail(REMINDER_TEMPLATE),
  },
};

/** The lead `lead-<id>`, enrolled as `enrollment-<id>`. */
function member(id: string, leadTimeZone: string | null = null): NurtureMember {
  return { enrollmentId: `enrollment-${id}`, leadId: `lead-${id}`, leadTimeZone };
}

/** A cohort of the leads named by `ids`, in that order. */
function cohortInput(ids: string[], flow: FlowDefinition, extra: Partial<NurtureInput> = {}): NurtureInput {
  return { campaignId: 'campaign-1', flowVersionId: 'version-1', flow, campaignTimeZone: 'UTC', members: ids.map((id) => member(id)), ...extra };
}

/** A cohort of one lead. */
function nurtureInput(id: string, flow: FlowDefinition, extra: Partial<NurtureInput> = {}): NurtureInput {
  return cohortInput([id], flow, extra);
}

/** The only journey of a cohort of one. */
function journeyOf(result: NurtureResult): JourneyOutcome {
  expect(result.journeys).toHaveLength(1);
  return result.journeys[0];
}

/** The journeys of a result by enrollment id, whatever order they ended in. */
function journeysOf(result: NurtureResult): Record<string, JourneyOutcome> {
  return Object.fromEntries(result.journeys.map((j) => [j.enrollmentId, j]));
}

/** Something the lead of `enrollment-<id>` did just now. */
function engagement(id: string, type: string, stepId?: string): EngagementSignal {
  return { enrollmentId: `enrollment-${id}`, event: { type, ...(stepId ? { stepId } : {}), occurredAt: new Date().toISOString() } };
}

/** A batch as a reader would sum it up: which activity, which step, which enrollments. */
function summary(batch: BatchCall) {
  return { activity: batch.activity, stepId: batch.input.stepId, members: batch.input.members.map((m) => m.enrollmentId) };
}

describe('nurture workflow', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let queues = 0;

  beforeAll(async () => {
    ({ env, bundle } = await timeSkippingEnvironment());
  });

  afterAll(() => env?.teardown());

  /**
   * Runs the body with a worker for the workflow (and every activity but email sends) on a
   * fresh task queue, and a second worker on the email queue, as in production.
   */
  async function withWorkers<T>(fakes: RecordingActivities, body: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `nurture-test-${++queues}`;
    const activities = fakes.build();
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
    const emailWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.email, activities });
    const emailRun = emailWorker.run();
    try {
      return await worker.runUntil(() => body(taskQueue));
    } finally {
      emailWorker.shutdown();
      await emailRun;
    }
  }

  function start(taskQueue: string, workflowId: string, input: NurtureInput): Promise<WorkflowHandle<typeof nurture>> {
    return env.client.workflow.start<typeof nurture>('nurture', { taskQueue, workflowId, args: [input] });
  }

  function execute(taskQueue: string, workflowId: string, input: NurtureInput) {
    return env.client.workflow.execute<typeof nurture>('nurture', { taskQueue, workflowId, args: [input] });
  }

  /**
   * Awaits results one after another: each wait on a result unlocks the test server's time
   * skipping and locks it again after, and overlapping waits leave it locked for good.
   */
  async function resultsInTurn(handles: WorkflowHandle<typeof nurture>[]) {
    const results = [];
    for (const handle of handles) results.push(await handle.result());
    return results;
  }

  it('every action step type names a batch activity the worker has', () => {
    expect(Object.fromEntries(ACTION_STEP_TYPES.map((def) => [def.activity, batchActivityName(def)]))).toEqual(BATCH_ACTIVITY_NAMES);
  });

  it('runs each action type\'s batch activity once, email sends on the email queue and the others on the workflow\'s queue', async () => {
    const steps: Record<string, FlowStep> = {};
    ACTION_STEP_TYPES.forEach((def, i) => {
      steps[`step${i}`] = { type: def.type, next: i + 1 < ACTION_STEP_TYPES.length ? `step${i + 1}` : null };
    });
    const flow: FlowDefinition = { entry: 'step0', steps };
    const fakes = new RecordingActivities();
    const result = await withWorkers(fakes, async (taskQueue) => {
      const done = await execute(taskQueue, 'nurture-actions', nurtureInput('actions', flow));
      const expected = ACTION_STEP_TYPES.map((def, i) => ({
        activity: batchActivityName(def),
        taskQueue: def.queue === 'email' ? TASK_QUEUES.email : taskQueue,
        input: { campaignId: 'campaign-1', enrollmentId: 'enrollment-actions', leadId: 'lead-actions', stepId: `step${i}`, step: steps[`step${i}`], attempt: 1 },
      }));
      expect(fakes.actions.map(({ activity, taskQueue: queue, input }) => ({ activity, taskQueue: queue, input }))).toEqual(expected);
      return done;
    });
    expect(ACTION_STEP_TYPES.some((def) => def.queue === 'email')).toBe(true);
    expect(fakes.batches).toHaveLength(ACTION_STEP_TYPES.length);
    expect(result).toEqual({
      journeys: [{ enrollmentId: 'enrollment-actions', status: 'completed', reason: 'flow_finished', path: Object.keys(steps) }],
    });
    expect(fakes.completions).toEqual([
      { workflowId: 'nurture-actions', enrollmentId: 'enrollment-actions', status: 'completed', reason: 'flow_finished', path: Object.keys(steps) },
    ]);
  });

  it('holds the lead on a wait step for its duration of server time', async () => {
    const fakes = new RecordingActivities();
    const startedAt = await env.currentTimeMs();
    const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-wait', nurtureInput('wait', WELCOME_WAIT_REMINDER)));

    expect(journeyOf(result).path).toEqual(['welcome', 'hold', 'reminder']);
    const [welcome, reminder] = fakes.actions;
    expect(welcome.scheduledAt - startedAt).toBeLessThan(MINUTE);
    expect(reminder.scheduledAt - welcome.scheduledAt).toBeGreaterThanOrEqual(3 * DAY);
    expect(reminder.scheduledAt - welcome.scheduledAt).toBeLessThan(3 * DAY + MINUTE);
  });

  it('holds the lead on a wait_until step until its date', async () => {
    const fakes = new RecordingActivities();
    const startedAt = await env.currentTimeMs();
    // Five days ahead, written with a +02:00 offset: the moment is absolute whatever the zones.
    const at = Math.ceil((startedAt + 5 * DAY) / MINUTE) * MINUTE;
    const atText = new Date(at + 2 * HOUR).toISOString().replace(/\.000Z$/, '+02:00');
    const flow: FlowDefinition = {
      entry: 'welcome',
      steps: {
        welcome: sendEmail(WELCOME_TEMPLATE, 'launchDay'),
        launchDay: { type: 'wait_until', at: atText, next: 'reminder' },
        reminder: sendEmail(REMINDER_TEMPLATE),
      },
    };
    await withWorkers(fakes, (queue) => execute(queue, 'nurture-until-date', nurtureInput('until-date', flow)));

    const reminder = fakes.actions[1];
    expect(reminder.input.stepId).toBe('reminder');
    expect(reminder.scheduledAt).toBeGreaterThanOrEqual(at);
    expect(reminder.scheduledAt).toBeLessThan(at + MINUTE);
  });

  it('goes straight on from a wait_until step whose date has passed', async () => {
    const fakes = new RecordingActivities();
    const flow: FlowDefinition = {
      entry: 'welcome',
      steps: {
        welcome: sendEmail(WELCOME_TEMPLATE, 'past'),
        past: { type: 'wait_until', at: '2020-01-01T09:00:00Z', next: 'reminder' },
        reminder: sendEmail(REMINDER_TEMPLATE),
      },
    };
    const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-until-past', nurtureInput('until-past', flow)));

    expect(journeyOf(result).path).toEqual(['welcome', 'past', 'reminder']);
    expect(fakes.actions[1].scheduledAt - fakes.actions[0].scheduledAt).toBeLessThan(MINUTE);
  });

  it('holds the lead on a wait_until window until it opens on an allowed day in the lead\'s time zone', async () => {
    const fakes = new RecordingActivities();
    const startedAt = await env.currentTimeMs();
    // Asia/Kolkata is UTC+05:30 all year. The window opens at 10:00 there, only on the weekday
    // two local days from now, so the lead waits for that day's 10:00.
    const kolkata = 5.5 * HOUR;
    const localMidnight = Math.floor((startedAt + kolkata) / DAY) * DAY;
    const windowDay = localMidnight + 2 * DAY;
    const expected = windowDay + 10 * HOUR - kolkata;
    const flow: FlowDefinition = {
      entry: 'welcome',
      steps: {
        welcome: sendEmail(WELCOME_TEMPLATE, 'office'),
        office: { type: 'wait_until', window: { from: '10:00', to: '11:00' }, days: [WEEKDAYS[new Date(windowDay).getUTCDay()]], next: 'reminder' },
        reminder: sendEmail(REMINDER_TEMPLATE),
      },
    };
    const input = nurtureInput('until-window', flow, { campaignTimeZone: 'America/Los_Angeles', members: [member('until-window', 'Asia/Kolkata')] });
    await withWorkers(fakes, (queue) => execute(queue, 'nurture-until-window', input));

    const reminder = fakes.actions[1];
    expect(reminder.scheduledAt).toBeGreaterThanOrEqual(expected);
    expect(reminder.scheduledAt).toBeLessThan(expected + MINUTE);
  });

  describe('wait_for_event', () => {
    const flow: FlowDefinition = {
      entry: 'welcome',
      steps: {
        welcome: sendEmail(WELCOME_TEMPLATE, 'awaitClick'),
        awaitClick: { type: 'wait_for_event', event: 'clicked', step: 'welcome', timeout: '3d', next: 'thanks', timeoutNext: 'nudge' },
        thanks: sendEmail(REMINDER_TEMPLATE),
        nudge: sendEmail(REMINDER_TEMPLATE),
      },
    };

    it('moves on as soon as the awaited event is signalled, before the timeout', async () => {
      const fakes = new RecordingActivities();
      let clickedAt = 0;
      const result = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-event-signal', nurtureInput('event-signal', flow));
        await env.sleep(DAY);
        // A click on another step's message is not the one awaited.
        await handle.signal(engagementSignal, engagement('event-signal', 'clicked', 'other'));
        await env.sleep(HOUR);
        expect((await handle.query(progressQuery, 'enrollment-event-signal'))?.currentStepId).toBe('awaitClick');
        clickedAt = await env.currentTimeMs();
        await handle.signal(engagementSignal, engagement('event-signal', 'clicked', 'welcome'));
        return handle.result();
      });

      expect(journeyOf(result).path).toEqual(['welcome', 'awaitClick', 'thanks']);
      const [welcome, thanks] = fakes.actions;
      expect(clickedAt - welcome.scheduledAt).toBeGreaterThanOrEqual(DAY);
      expect(thanks.scheduledAt).toBeGreaterThanOrEqual(clickedAt);
      expect(thanks.scheduledAt).toBeLessThan(clickedAt + MINUTE);
    });

    it('takes the timeout path when the event does not come in time', async () => {
      const fakes = new RecordingActivities();
      const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-event-timeout', nurtureInput('event-timeout', flow)));

      expect(journeyOf(result).path).toEqual(['welcome', 'awaitClick', 'nudge']);
      const [welcome, nudge] = fakes.actions;
      expect(nudge.scheduledAt - welcome.scheduledAt).toBeGreaterThanOrEqual(3 * DAY);
      expect(nudge.scheduledAt - welcome.scheduledAt).toBeLessThan(3 * DAY + MINUTE);
    });

    it('moves on only the member of a cohort the event is signalled to; the others wait for the timeout together', async () => {
      const fakes = new RecordingActivities();
      let clickedAt = 0;
      const result = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-cohort-event', cohortInput(['ev1', 'ev2', 'ev3'], flow));
        await env.sleep(DAY);
        clickedAt = await env.currentTimeMs();
        await handle.signal(engagementSignal, engagement('ev2', 'clicked', 'welcome'));
        await env.sleep(HOUR);
        for (const id of ['ev1', 'ev3']) {
          expect(await handle.query(progressQuery, `enrollment-${id}`)).toMatchObject({ currentStepId: 'awaitClick', status: 'running', events: [] });
        }
        return handle.result();
      });

      const journeys = journeysOf(result);
      expect(journeys['enrollment-ev2'].path).toEqual(['welcome', 'awaitClick', 'thanks']);
      expect(journeys['enrollment-ev1'].path).toEqual(['welcome', 'awaitClick', 'nudge']);
      expect(journeys['enrollment-ev3'].path).toEqual(['welcome', 'awaitClick', 'nudge']);
      const [welcome, thanks, nudge] = fakes.batches;
      expect([welcome, thanks, nudge].map(summary)).toEqual([
        { activity: 'sendEmails', stepId: 'welcome', members: ['enrollment-ev1', 'enrollment-ev2', 'enrollment-ev3'] },
        { activity: 'sendEmails', stepId: 'thanks', members: ['enrollment-ev2'] },
        { activity: 'sendEmails', stepId: 'nudge', members: ['enrollment-ev1', 'enrollment-ev3'] },
      ]);
      expect(thanks.scheduledAt).toBeGreaterThanOrEqual(clickedAt);
      expect(thanks.scheduledAt).toBeLessThan(clickedAt + MINUTE);
      expect(nudge.scheduledAt - welcome.scheduledAt).toBeGreaterThanOrEqual(3 * DAY);
      expect(nudge.scheduledAt - welcome.scheduledAt).toBeLessThan(3 * DAY + MINUTE);
    });
  });

  describe('branch', () => {
    const highScore = { field: 'score', op: 'gte', value: 50 };
    const flow: FlowDefinition = {
      entry: 'qualify',
      steps: {
        qualify: { type: 'branch', branches: [{ when: { lead: highScore }, next: 'handOff' }], otherwise: 'nurtureMore' },
        handOff: { type: 'notify_sales', to: ['sales@example.com'], message: 'Hot lead' },
        nurtureMore: sendEmail(WELCOME_TEMPLATE),
      },
    };

    it('follows the branch the lead lookup answers true for, and otherwise when it answers false', async () => {
      const fakes = new RecordingActivities({ answers: (input) => [input.leadId === 'lead-hot'] });
      const [hot, cold] = await withWorkers(fakes, async (queue) => {
        const results = [];
        results.push(await execute(queue, 'nurture-branch-hot', nurtureInput('hot', flow)));
        results.push(await execute(queue, 'nurture-branch-cold', nurtureInput('cold', flow)));
        expect(fakes.lookups.map((l) => ({ queue: l.taskQueue, input: l.input }))).toEqual([
          { queue, input: { leadIds: ['lead-hot'], conditions: [highScore] } },
          { queue, input: { leadIds: ['lead-cold'], conditions: [highScore] } },
        ]);
        return results;
      });

      expect(journeyOf(hot).path).toEqual(['qualify', 'handOff']);
      expect(journeyOf(cold).path).toEqual(['qualify', 'nurtureMore']);
      expect(fakes.runsOf('nurture-branch-hot').map((c) => c.activity)).toEqual(['notifySalesBatch']);
      expect(fakes.runsOf('nurture-branch-cold').map((c) => c.activity)).toEqual(['sendEmails']);
    });

    it('looks the whole cohort up in one activity, and each member follows its own answer', async () => {
      const fakes = new RecordingActivities({ answers: (input) => [input.leadId.startsWith('lead-hot')] });
      const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-branch-cohort', cohortInput(['hot1', 'cold1', 'hot2'], flow)));

      expect(fakes.lookups.map((l) => l.input)).toEqual([{ leadIds: ['lead-hot1', 'lead-cold1', 'lead-hot2'], conditions: [highScore] }]);
      const journeys = journeysOf(result);
      expect(journeys['enrollment-hot1'].path).toEqual(['qualify', 'handOff']);
      expect(journeys['enrollment-cold1'].path).toEqual(['qualify', 'nurtureMore']);
      expect(journeys['enrollment-hot2'].path).toEqual(['qualify', 'handOff']);
      expect(fakes.batches.map(summary)).toEqual(
        expect.arrayContaining([
          { activity: 'notifySalesBatch', stepId: 'handOff', members: ['enrollment-hot1', 'enrollment-hot2'] },
          { activity: 'sendEmails', stepId: 'nurtureMore', members: ['enrollment-cold1'] },
        ]),
      );
      expect(fakes.batches).toHaveLength(2);
    });

    it('branches on an engagement signalled earlier in the enrollment, without a lookup', async () => {
      const engaged: FlowDefinition = {
        entry: 'welcome',
        steps: {
          welcome: sendEmail(WELCOME_TEMPLATE, 'hold'),
          hold: { type: 'wait', duration: '2d', next: 'opened' },
          opened: { type: 'branch', branches: [{ when: { event: { type: 'opened', step: 'welcome' } }, next: 'deeper' }], otherwise: 'resend' },
          deeper: sendEmail(REMINDER_TEMPLATE),
          resend: sendEmail(WELCOME_TEMPLATE),
        },
      };
      const fakes = new RecordingActivities();
      // Two leads in one cohort: only one of them opens the welcome.
      const result = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-branch-opened', cohortInput(['opened', 'silent'], engaged));
        await env.sleep(DAY);
        await handle.signal(engagementSignal, engagement('opened', 'opened', 'welcome'));
        return handle.result();
      });

      const journeys = journeysOf(result);
      expect(journeys['enrollment-opened'].path).toEqual(['welcome', 'hold', 'opened', 'deeper']);
      expect(journeys['enrollment-silent'].path).toEqual(['welcome', 'hold', 'opened', 'resend']);
      expect(fakes.lookups).toEqual([]);
    });
  });

  it('sends each lead down the variant of a split its bucket names', async () => {
    const flow: FlowDefinition = {
      entry: 'ab',
      steps: {
        ab: { type: 'split', variants: [{ percent: 50, next: 'variantA' }, { percent: 50, next: 'variantB' }] },
        variantA: sendEmail(WELCOME_TEMPLATE),
        variantB: sendEmail(REMINDER_TEMPLATE),
      },
    };
    const ids = ['s1', 's2', 's3', 's4', 's5', 's6'];
    const expected = ids.map((id) => (splitBucket(`lead-${id}`, 'ab') < 5_000 ? 'variantA' : 'variantB'));
    // The leads chosen land on both sides, so the test tells the variants apart.
    expect(new Set(expected)).toEqual(new Set(['variantA', 'variantB']));
    const fakes = new RecordingActivities();
    const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-split', cohortInput(ids, flow)));

    const journeys = journeysOf(result);
    expect(ids.map((id) => journeys[`enrollment-${id}`].path[1])).toEqual(expected);
    expect(ids.map((id) => fakes.runsFor(`enrollment-${id}`).map((c) => c.input.stepId))).toEqual(expected.map((s) => [s]));
    // One batch per variant, each with the leads that went that way.
    const byVariant = Object.fromEntries(fakes.batches.map((b) => [b.input.stepId, summary(b).members]));
    expect(byVariant).toEqual({
      variantA: ids.filter((_, i) => expected[i] === 'variantA').map((id) => `enrollment-${id}`),
      variantB: ids.filter((_, i) => expected[i] === 'variantB').map((id) => `enrollment-${id}`),
    });
  });

  it('ends the lead\'s path at an exit step with its reason, running nothing after it', async () => {
    const flow: FlowDefinition = {
      entry: 'welcome',
      steps: { welcome: sendEmail(WELCOME_TEMPLATE, 'done'), done: { type: 'exit', reason: 'not_a_fit' } },
    };
    const fakes = new RecordingActivities();
    const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-exit-step', nurtureInput('exit-step', flow)));

    expect(result).toEqual({ journeys: [{ enrollmentId: 'enrollment-exit-step', status: 'completed', reason: 'not_a_fit', path: ['welcome', 'done'] }] });
    expect(fakes.actions.map((c) => c.input.stepId)).toEqual(['welcome']);
    expect(fakes.completions).toEqual([
      { workflowId: 'nurture-exit-step', enrollmentId: 'enrollment-exit-step', status: 'completed', reason: 'not_a_fit', path: ['welcome', 'done'] },
    ]);
  });

  describe('exit rules', () => {
    it.each(['converted', 'unsubscribed'])('leaves the flow when the lead is %s during a wait, by default', async (type) => {
      const fakes = new RecordingActivities();
      const id = `rule-${type}`;
      const result = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, `nurture-${id}`, nurtureInput(id, WELCOME_WAIT_REMINDER));
        await env.sleep(DAY);
        await handle.signal(engagementSignal, engagement(id, type));
        return handle.result();
      });

      expect(result).toEqual({ journeys: [{ enrollmentId: `enrollment-${id}`, status: 'exited', reason: type, path: ['welcome', 'hold'] }] });
      expect(fakes.actions.map((c) => c.input.stepId)).toEqual(['welcome']);
      expect(fakes.completions).toEqual([
        { workflowId: `nurture-${id}`, enrollmentId: `enrollment-${id}`, status: 'exited', reason: type, path: ['welcome', 'hold'] },
      ]);
    });

    it('keeps going after an unsubscribe when the flow\'s rules name only conversion, and still leaves on conversion', async () => {
      const flow: FlowDefinition = { ...WELCOME_WAIT_REMINDER, exitRules: [{ on: 'conversion' }] };
      const fakes = new RecordingActivities();
      const result = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-rules', cohortInput(['rule-kept', 'rule-converts'], flow));
        await env.sleep(DAY);
        await handle.signal(engagementSignal, engagement('rule-kept', 'unsubscribed'));
        await handle.signal(engagementSignal, engagement('rule-converts', 'converted'));
        return handle.result();
      });

      const journeys = journeysOf(result);
      expect(journeys['enrollment-rule-kept']).toEqual({
        enrollmentId: 'enrollment-rule-kept',
        status: 'completed',
        reason: 'flow_finished',
        path: ['welcome', 'hold', 'reminder'],
      });
      expect(fakes.runsFor('enrollment-rule-kept').map((c) => c.input.stepId)).toEqual(['welcome', 'reminder']);
      expect(journeys['enrollment-rule-converts']).toMatchObject({ status: 'exited', reason: 'converted', path: ['welcome', 'hold'] });
      expect(fakes.runsFor('enrollment-rule-converts').map((c) => c.input.stepId)).toEqual(['welcome']);
    });
  });

  describe('exit signal', () => {
    it('stops at an exit signal during a wait, sends nothing more and closes the enrollment as exited', async () => {
      const fakes = new RecordingActivities();
      const result = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-exit-signal', nurtureInput('exit-signal', WELCOME_WAIT_REMINDER));
        await env.sleep(DAY);
        await handle.signal(exitSignal, { enrollmentId: 'enrollment-exit-signal', reason: 'erased' });
        return handle.result();
      });

      expect(result).toEqual({ journeys: [{ enrollmentId: 'enrollment-exit-signal', status: 'exited', reason: 'erased', path: ['welcome', 'hold'] }] });
      expect(fakes.actions.map((c) => c.input.stepId)).toEqual(['welcome']);
      expect(fakes.completions).toEqual([
        { workflowId: 'nurture-exit-signal', enrollmentId: 'enrollment-exit-signal', status: 'exited', reason: 'erased', path: ['welcome', 'hold'] },
      ]);
    });

    it('ends only the member an exit signal names; the rest of the cohort goes on', async () => {
      const fakes = new RecordingActivities();
      const result = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-exit-one', cohortInput(['x1', 'x2', 'x3'], WELCOME_WAIT_REMINDER));
        await env.sleep(DAY);
        await handle.signal(exitSignal, { enrollmentId: 'enrollment-x2', reason: 'erased' });
        await env.sleep(HOUR);
        expect(fakes.completions.map((c) => c.enrollmentId)).toEqual(['enrollment-x2']);
        return handle.result();
      });

      expect(journeysOf(result)).toEqual({
        'enrollment-x1': { enrollmentId: 'enrollment-x1', status: 'completed', reason: 'flow_finished', path: ['welcome', 'hold', 'reminder'] },
        'enrollment-x2': { enrollmentId: 'enrollment-x2', status: 'exited', reason: 'erased', path: ['welcome', 'hold'] },
        'enrollment-x3': { enrollmentId: 'enrollment-x3', status: 'completed', reason: 'flow_finished', path: ['welcome', 'hold', 'reminder'] },
      });
      expect(fakes.batches.map(summary)).toEqual([
        { activity: 'sendEmails', stepId: 'welcome', members: ['enrollment-x1', 'enrollment-x2', 'enrollment-x3'] },
        { activity: 'sendEmails', stepId: 'reminder', members: ['enrollment-x1', 'enrollment-x3'] },
      ]);
    });

    it('ends every member of the cohort on an exit signal that names no enrollment', async () => {
      const fakes = new RecordingActivities();
      const result = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-exit-all', cohortInput(['y1', 'y2', 'y3'], WELCOME_WAIT_REMINDER));
        await env.sleep(DAY);
        await handle.signal(exitSignal, { reason: 'cancelled' });
        return handle.result();
      });

      expect(journeysOf(result)).toEqual(
        Object.fromEntries(
          ['y1', 'y2', 'y3'].map((id) => [
            `enrollment-${id}`,
            { enrollmentId: `enrollment-${id}`, status: 'exited', reason: 'cancelled', path: ['welcome', 'hold'] },
          ]),
        ),
      );
      expect(fakes.batches.map((b) => b.input.stepId)).toEqual(['welcome']);
      // Ended in the same turn, written to their enrollments in one activity.
      expect(fakes.completionCalls.map((c) => c.enrollments.map((e) => e.enrollmentId))).toEqual([['enrollment-y1', 'enrollment-y2', 'enrollment-y3']]);
    });
  });

  describe('pause and resume', () => {
    const flow: FlowDefinition = {
      entry: 'hold',
      steps: { hold: { type: 'wait', duration: '1d', next: 'reminder' }, reminder: sendEmail(REMINDER_TEMPLATE) },
    };

    it('lets the timer run out during a pause but sends only after the resume', async () => {
      const fakes = new RecordingActivities();
      const startedAt = await env.currentTimeMs();
      let resumedAt = 0;
      const result = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-paused', nurtureInput('paused', flow));
        await handle.signal(pauseSignal);
        await env.sleep(3 * DAY);
        const progress = await handle.query(progressQuery, 'enrollment-paused');
        expect(progress).toMatchObject({ currentStepId: 'reminder', paused: true, awaiting: { kind: 'action', stepId: 'reminder' } });
        expect(fakes.actions).toEqual([]);
        resumedAt = await env.currentTimeMs();
        await handle.signal(resumeSignal);
        return handle.result();
      });

      expect(resumedAt - startedAt).toBeGreaterThanOrEqual(3 * DAY);
      expect(journeyOf(result).path).toEqual(['hold', 'reminder']);
      expect(fakes.actions).toHaveLength(1);
      expect(fakes.actions[0].scheduledAt).toBeGreaterThanOrEqual(resumedAt);
    });

    it('holds the first action of a lead enrolled while the campaign is paused until the resume', async () => {
      const fakes = new RecordingActivities();
      const flow: FlowDefinition = { entry: 'welcome', steps: { welcome: sendEmail(WELCOME_TEMPLATE) } };
      let resumedAt = 0;
      await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-enrolled-paused', nurtureInput('enrolled-paused', flow, { paused: true }));
        await env.sleep(2 * DAY);
        expect(await handle.query(progressQuery, 'enrollment-enrolled-paused')).toMatchObject({ currentStepId: 'welcome', paused: true });
        expect(fakes.actions).toEqual([]);
        resumedAt = await env.currentTimeMs();
        await handle.signal(resumeSignal);
        return handle.result();
      });

      expect(fakes.actions).toHaveLength(1);
      expect(fakes.actions[0].scheduledAt).toBeGreaterThanOrEqual(resumedAt);
    });

    it('holds a step whose activity finds the campaign paused, and runs it again after the resume', async () => {
      const fakes = new RecordingActivities({
        failAction: (_call, attempt) => (attempt === 1 ? ApplicationFailure.nonRetryable('The campaign is paused', 'CampaignPaused') : undefined),
      });
      let resumedAt = 0;
      const result = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-guard-paused', nurtureInput('guard-paused', WELCOME_WAIT_REMINDER));
        await env.sleep(DAY);
        expect(await handle.query(progressQuery, 'enrollment-guard-paused')).toMatchObject({
          currentStepId: 'welcome',
          paused: true,
          awaiting: { kind: 'action', stepId: 'welcome' },
        });
        expect(fakes.actions).toHaveLength(1);
        resumedAt = await env.currentTimeMs();
        await handle.signal(resumeSignal);
        return handle.result();
      });

      expect(journeyOf(result)).toMatchObject({ status: 'completed', reason: 'flow_finished', path: ['welcome', 'hold', 'reminder'] });
      expect(fakes.actions.map((c) => c.input.stepId)).toEqual(['welcome', 'welcome', 'reminder']);
      expect(fakes.actions[1].scheduledAt).toBeGreaterThanOrEqual(resumedAt);
    });
  });

  it('ends the path with campaign_ended when an activity finds the campaign ended', async () => {
    const fakes = new RecordingActivities({ failAction: () => ApplicationFailure.nonRetryable('The campaign is cancelled', 'CampaignEnded') });
    const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-ended', nurtureInput('ended', WELCOME_WAIT_REMINDER)));

    expect(result).toEqual({ journeys: [{ enrollmentId: 'enrollment-ended', status: 'exited', reason: 'campaign_ended', path: ['welcome'] }] });
    expect(fakes.actions).toHaveLength(1);
    expect(fakes.completions).toEqual([
      { workflowId: 'nurture-ended', enrollmentId: 'enrollment-ended', status: 'exited', reason: 'campaign_ended', path: ['welcome'] },
    ]);
  });

  it('ends the path with <step>:<failure type> when an action fails for good', async () => {
    const fakes = new RecordingActivities({ failAction: () => ApplicationFailure.nonRetryable('mailbox does not exist', 'PermanentBounce') });
    const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-bounce', nurtureInput('bounce', WELCOME_WAIT_REMINDER)));

    expect(result).toEqual({ journeys: [{ enrollmentId: 'enrollment-bounce', status: 'exited', reason: 'welcome:PermanentBounce', path: ['welcome'] }] });
    expect(fakes.actions).toHaveLength(1);
    expect(fakes.completions).toEqual([
      { workflowId: 'nurture-bounce', enrollmentId: 'enrollment-bounce', status: 'exited', reason: 'welcome:PermanentBounce', path: ['welcome'] },
    ]);
  });

  it('answers the progress query with the current step, what it awaits, the pause and the path', async () => {
    const fakes = new RecordingActivities();
    await withWorkers(fakes, async (queue) => {
      const handle = await start(queue, 'nurture-progress', nurtureInput('progress', WELCOME_WAIT_REMINDER));
      await env.sleep(HOUR);
      const welcomeAt = fakes.actions[0].scheduledAt;
      const waiting = await handle.query(progressQuery, 'enrollment-progress');
      expect(waiting).toMatchObject({ currentStepId: 'hold', status: 'running', paused: false, endReason: null });
      expect(waiting?.awaiting?.kind).toBe('timer');
      expect(Date.parse(waiting!.awaiting!.until!) - welcomeAt).toBeGreaterThanOrEqual(3 * DAY);
      expect(Date.parse(waiting!.awaiting!.until!) - welcomeAt).toBeLessThan(3 * DAY + MINUTE);
      expect(waiting!.path.map((p) => p.stepId)).toEqual(['welcome', 'hold']);

      await handle.signal(pauseSignal);
      await handle.signal(engagementSignal, {
        enrollmentId: 'enrollment-progress',
        event: { type: 'opened', stepId: 'welcome', occurredAt: '2026-01-05T10:00:00.000Z' },
      });
      const paused = await handle.query(progressQuery, 'enrollment-progress');
      expect(paused).toMatchObject({ currentStepId: 'hold', paused: true, events: [{ type: 'opened', stepId: 'welcome' }] });
      await handle.signal(exitSignal, { reason: 'cancelled' });
      await handle.result();
    });
  });

  it('answers the progress query for each member of a cohort on its own, and null for an enrollment it does not run', async () => {
    const fakes = new RecordingActivities();
    await withWorkers(fakes, async (queue) => {
      const handle = await start(queue, 'nurture-progress-cohort', cohortInput(['q1', 'q2'], WELCOME_WAIT_REMINDER));
      await env.sleep(HOUR);
      await handle.signal(engagementSignal, engagement('q1', 'opened', 'welcome'));
      await handle.signal(pauseSignal);
      await env.sleep(HOUR);

      const q1 = await handle.query(progressQuery, 'enrollment-q1');
      const q2 = await handle.query(progressQuery, 'enrollment-q2');
      expect(q1).toMatchObject({ currentStepId: 'hold', status: 'running', paused: true, events: [{ type: 'opened', stepId: 'welcome' }] });
      expect(q2).toMatchObject({ currentStepId: 'hold', status: 'running', paused: true, events: [] });
      expect(q1?.path.map((p) => p.stepId)).toEqual(['welcome', 'hold']);
      expect(await handle.query(progressQuery, 'enrollment-unknown')).toBeNull();
      await handle.signal(exitSignal, { reason: 'cancelled' });
      await handle.result();
    });
  });

  it('runs two enrollments of different flow versions each on its own definition', async () => {
    const version1: FlowDefinition = { entry: 'welcome', steps: { welcome: sendEmail(WELCOME_TEMPLATE) } };
    const version2: FlowDefinition = {
      entry: 'score',
      steps: { score: { type: 'adjust_score', points: 5, next: 'welcome' }, welcome: sendEmail(REMINDER_TEMPLATE) },
    };
    const fakes = new RecordingActivities();
    const [first, second] = await withWorkers(fakes, async (queue) =>
      resultsInTurn([
        await start(queue, 'nurture-version-1', nurtureInput('version-1', version1, { flowVersionId: 'version-1' })),
        await start(queue, 'nurture-version-2', nurtureInput('version-2', version2, { flowVersionId: 'version-2' })),
      ]),
    );

    expect(journeyOf(first).path).toEqual(['welcome']);
    expect(journeyOf(second).path).toEqual(['score', 'welcome']);
    expect(fakes.runsOf('nurture-version-1').map((c) => c.input.step)).toEqual([version1.steps.welcome]);
    expect(fakes.runsOf('nurture-version-2').map((c) => c.input.step)).toEqual([version2.steps.score, version2.steps.welcome]);
  });

  it('carries on from the states handed over by continue-as-new: nothing resent, the same timer, ended members left out', async () => {
    const registry = new StepRegistry(ACTION_STEP_TYPES);
    const startedAt = await env.currentTimeMs();
    // The previous run sent the welcome an hour ago and started the three-day wait; the lead
    // `gone` had ended there, so no state is handed over for it.
    const sentAt = startedAt - HOUR;
    let state = advance(WELCOME_WAIT_REMINDER, initialFlowState('lead-carried'), { kind: 'start' }, sentAt, registry).state;
    state = advance(WELCOME_WAIT_REMINDER, state, { kind: 'action_completed', stepId: 'welcome' }, sentAt, registry).state;
    const fakes = new RecordingActivities();
    const input = cohortInput(['carried', 'gone'], WELCOME_WAIT_REMINDER, { states: { 'enrollment-carried': JSON.parse(JSON.stringify(state)) } });
    const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-carried', input));

    expect(journeyOf(result)).toEqual({ enrollmentId: 'enrollment-carried', status: 'completed', reason: 'flow_finished', path: ['welcome', 'hold', 'reminder'] });
    expect(fakes.actions.map((c) => [c.input.enrollmentId, c.input.stepId])).toEqual([['enrollment-carried', 'reminder']]);
    expect(fakes.actions[0].scheduledAt).toBeGreaterThanOrEqual(sentAt + 3 * DAY);
    expect(fakes.actions[0].scheduledAt).toBeLessThan(sentAt + 3 * DAY + MINUTE);
    expect(fakes.completions.map((c) => c.enrollmentId)).toEqual(['enrollment-carried']);
  });

  describe('cohorts', () => {
    const ids = ['c1', 'c2', 'c3'];
    const enrollments = ids.map((id) => `enrollment-${id}`);

    it('sends each email step to the whole cohort in one batch on the email queue, after one shared timer', async () => {
      const fakes = new RecordingActivities();
      const { result, timers } = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-cohort', cohortInput(ids, WELCOME_WAIT_REMINDER));
        const result = await handle.result();
        const history = await handle.fetchHistory();
        return { result, timers: (history.events ?? []).filter((e) => e.timerStartedEventAttributes).length };
      });

      expect(fakes.batches.map((b) => ({ ...summary(b), taskQueue: b.taskQueue }))).toEqual([
        { activity: 'sendEmails', stepId: 'welcome', members: enrollments, taskQueue: TASK_QUEUES.email },
        { activity: 'sendEmails', stepId: 'reminder', members: enrollments, taskQueue: TASK_QUEUES.email },
      ]);
      expect(fakes.batches[1].input.members).toEqual(ids.map((id) => ({ enrollmentId: `enrollment-${id}`, leadId: `lead-${id}`, attempt: 1 })));
      const [welcome, reminder] = fakes.batches;
      expect(reminder.scheduledAt - welcome.scheduledAt).toBeGreaterThanOrEqual(3 * DAY);
      expect(reminder.scheduledAt - welcome.scheduledAt).toBeLessThan(3 * DAY + MINUTE);
      expect(timers).toBe(1);

      expect(journeysOf(result)).toEqual(
        Object.fromEntries(
          enrollments.map((e) => [e, { enrollmentId: e, status: 'completed', reason: 'flow_finished', path: ['welcome', 'hold', 'reminder'] }]),
        ),
      );
      expect(fakes.completionCalls).toHaveLength(1);
      expect(fakes.completions).toEqual(
        enrollments.map((e) => ({ workflowId: 'nurture-cohort', enrollmentId: e, status: 'completed', reason: 'flow_finished', path: ['welcome', 'hold', 'reminder'] })),
      );
    });

    it('tries a member whose step said "not now" again alone after 5 seconds, while the others go on at once', async () => {
      const fakes = new RecordingActivities({
        failAction: (call, attempt) =>
          call.input.enrollmentId === 'enrollment-c2' && attempt === 1 ? ApplicationFailure.retryable('421 try again later', 'TransientSmtp') : undefined,
      });
      const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-cohort-retry', cohortInput(ids, WELCOME_WAIT_REMINDER)));

      const [first, again, ...reminders] = fakes.batches;
      expect([first, again].map(summary)).toEqual([
        { activity: 'sendEmails', stepId: 'welcome', members: enrollments },
        { activity: 'sendEmails', stepId: 'welcome', members: ['enrollment-c2'] },
      ]);
      expect(again.scheduledAt - first.scheduledAt).toBeGreaterThanOrEqual(5 * SECOND);
      expect(again.scheduledAt - first.scheduledAt).toBeLessThan(MINUTE);
      // The activity is told which try this is for the lead (a webhook gives up at its eighth).
      expect(again.input.members).toEqual([{ enrollmentId: 'enrollment-c2', leadId: 'lead-c2', attempt: 2 }]);
      // The others' three days began with the first batch, not the retry.
      expect(reminders.map(summary)).toEqual([
        { activity: 'sendEmails', stepId: 'reminder', members: ['enrollment-c1', 'enrollment-c3'] },
        { activity: 'sendEmails', stepId: 'reminder', members: ['enrollment-c2'] },
      ]);
      expect(reminders[0].scheduledAt - first.scheduledAt).toBeLessThan(3 * DAY + 5 * SECOND);
      expect(reminders[1].scheduledAt - again.scheduledAt).toBeGreaterThanOrEqual(3 * DAY);
      expect(reminders[1].input.members).toEqual([{ enrollmentId: 'enrollment-c2', leadId: 'lead-c2', attempt: 1 }]);
      expect(result.journeys.map((j) => j.status)).toEqual(['completed', 'completed', 'completed']);
      expect(journeysOf(result)['enrollment-c2'].path).toEqual(['welcome', 'hold', 'reminder']);
    });

    it('waits as long as the activity asks before trying a member again', async () => {
      const fakes = new RecordingActivities({
        failAction: (_call, attempt) =>
          attempt === 1 ? ApplicationFailure.create({ message: 'receiver busy', type: 'Busy', nextRetryDelay: '2 minutes' }) : undefined,
      });
      const flow: FlowDefinition = { entry: 'welcome', steps: { welcome: sendEmail(WELCOME_TEMPLATE) } };
      const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-retry-after', nurtureInput('retry-after', flow)));

      const [first, again] = fakes.batches;
      expect(fakes.batches).toHaveLength(2);
      expect(again.scheduledAt - first.scheduledAt).toBeGreaterThanOrEqual(2 * MINUTE);
      expect(again.scheduledAt - first.scheduledAt).toBeLessThan(3 * MINUTE);
      expect(journeyOf(result)).toMatchObject({ status: 'completed', path: ['welcome'] });
    });

    it('waits 5 s, 10 s, 20 s … at most 10 minutes between tries of a member', () => {
      expect([1, 2, 3, 7, 8, 20].map(memberRetryDelay)).toEqual([5_000, 10_000, 20_000, 320_000, 600_000, 600_000]);
    });

    it('ends only the path of the member whose step failed for good', async () => {
      const fakes = new RecordingActivities({
        failAction: (call) =>
          call.input.enrollmentId === 'enrollment-c2' ? ApplicationFailure.nonRetryable('mailbox does not exist', 'PermanentBounce') : undefined,
      });
      const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-cohort-bounce', cohortInput(ids, WELCOME_WAIT_REMINDER)));

      expect(journeysOf(result)).toEqual({
        'enrollment-c1': { enrollmentId: 'enrollment-c1', status: 'completed', reason: 'flow_finished', path: ['welcome', 'hold', 'reminder'] },
        'enrollment-c2': { enrollmentId: 'enrollment-c2', status: 'exited', reason: 'welcome:PermanentBounce', path: ['welcome'] },
        'enrollment-c3': { enrollmentId: 'enrollment-c3', status: 'completed', reason: 'flow_finished', path: ['welcome', 'hold', 'reminder'] },
      });
      expect(fakes.batches.map(summary)).toEqual([
        { activity: 'sendEmails', stepId: 'welcome', members: enrollments },
        { activity: 'sendEmails', stepId: 'reminder', members: ['enrollment-c1', 'enrollment-c3'] },
      ]);
      expect(fakes.completions.map((c) => [c.enrollmentId, c.reason])).toEqual([
        ['enrollment-c2', 'welcome:PermanentBounce'],
        ['enrollment-c1', 'flow_finished'],
        ['enrollment-c3', 'flow_finished'],
      ]);
    });

    it('ends every member\'s path when the batch activity itself fails for good', async () => {
      const fakes = new RecordingActivities({ failBatch: () => ApplicationFailure.nonRetryable('template was deleted', 'TemplateMissing') });
      const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-cohort-batch-failed', cohortInput(ids, WELCOME_WAIT_REMINDER)));

      expect(fakes.batches).toHaveLength(1);
      expect(result.journeys).toEqual(enrollments.map((e) => ({ enrollmentId: e, status: 'exited', reason: 'welcome:TemplateMissing', path: ['welcome'] })));
    });
  });
});
