import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { handoffDecidedSignal, HandoffResult } from '@ce/contracts';
import type { Assignment } from '@activities/handoff/handoff.activities';
import { timeSkippingEnvironment } from '../support/time-skipping';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type Channel = 'email' | 'webhook' | 'escalation';

/**
 * The hand-off workflow with the routing and notifications replaced by fakes that record what
 * they were asked, on a time-skipping server: hours of waiting for an answer pass in
 * milliseconds. The database side is tested in the e2e tests.
 */
describe('handoff workflow', () => {
  let env: Awaited<ReturnType<typeof timeSkippingEnvironment>>['env'];
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    ({ env, bundle } = await timeSkippingEnvironment());
  });

  afterAll(() => env?.teardown());

  /**
   * Fakes: reps are handed out in order (none left → no_rep); the SLA is 4 hours; a missed SLA
   * gives `breach` (reassign or escalate).
   */
  function fakes(options: { reps: string[]; breach?: 'reassign' | 'escalate'; noRepRounds?: number }) {
    const calls: string[] = [];
    let noRep = options.noRepRounds ?? 0;
    return {
      calls,
      activities: {
        async assignOwner({ exclude }: { handoffId: string; exclude: string[] }): Promise<Assignment> {
          if (noRep > 0) {
            noRep--;
            calls.push('no_rep');
            return { outcome: 'no_rep' };
          }
          const rep = options.reps.find((r) => !exclude.includes(r));
          calls.push(`assign ${rep ?? 'none'}`);
          return rep ? { outcome: 'assigned', repId: rep, slaMs: 4 * HOUR } : { outcome: 'no_rep' };
        },
        async notifyOwner({ repId, channel }: { handoffId: string; repId: string; channel: Channel }) {
          calls.push(`${channel} ${repId}`);
          return { outcome: 'sent' };
        },
        async missedSla({ repId }: { handoffId: string; repId: string; exclude: string[] }) {
          calls.push(`missed ${repId}`);
          return { action: options.breach ?? 'reassign' };
        },
      },
    };
  }

  async function run<T>(activities: object, body: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `handoff-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
    return worker.runUntil(() => body(taskQueue));
  }

  const start = (taskQueue: string) =>
    env.client.workflow.start('handoff', { taskQueue, workflowId: `handoff:${randomUUID()}`, args: [{ handoffId: randomUUID() }] });

  it('assigns an owner, notifies them by email and webhook, and ends when they answer', async () => {
    const f = fakes({ reps: ['ada'] });
    const result = await run(f.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await env.sleep(HOUR);
      await handle.signal(handoffDecidedSignal);
      return (await handle.result()) as HandoffResult;
    });
    expect(result).toEqual({ outcome: 'decided', owners: ['ada'] });
    expect(f.calls).toEqual(['assign ada', 'email ada', 'webhook ada']);
  });

  it('gives the lead to the next rep when the owner lets the time to answer run out, and to a third after that', async () => {
    const f = fakes({ reps: ['ada', 'bob', 'cy'] });
    const result = await run(f.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await env.sleep(4 * HOUR + MINUTE); // Ada's time runs out
      await env.sleep(3 * HOUR); // Bob is still thinking
      expect(f.calls).toEqual(['assign ada', 'email ada', 'webhook ada', 'missed ada', 'assign bob', 'email bob', 'webhook bob']);
      await env.sleep(2 * HOUR); // and Bob's runs out too
      await handle.signal(handoffDecidedSignal);
      return (await handle.result()) as HandoffResult;
    });
    expect(result).toEqual({ outcome: 'decided', owners: ['ada', 'bob', 'cy'] });
    expect(f.calls.slice(7)).toEqual(['missed bob', 'assign cy', 'email cy', 'webhook cy']);
  });

  it('escalates when the settings say so, and still ends when the owner answers late', async () => {
    const f = fakes({ reps: ['ada', 'bob'], breach: 'escalate' });
    const result = await run(f.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await env.sleep(2 * 24 * HOUR);
      expect(f.calls).toEqual(['assign ada', 'email ada', 'webhook ada', 'missed ada', 'escalation ada']);
      await handle.signal(handoffDecidedSignal);
      return (await handle.result()) as HandoffResult;
    });
    expect(result).toEqual({ outcome: 'escalated', owners: ['ada'] });
  });

  it('tries again every 15 minutes while no rep can take the lead', async () => {
    const f = fakes({ reps: ['ada'], noRepRounds: 2 });
    const result = await run(f.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await env.sleep(14 * MINUTE);
      expect(f.calls).toEqual(['no_rep']);
      await env.sleep(2 * MINUTE);
      expect(f.calls).toEqual(['no_rep', 'no_rep']);
      await env.sleep(15 * MINUTE);
      expect(f.calls).toEqual(['no_rep', 'no_rep', 'assign ada', 'email ada', 'webhook ada']);
      await handle.signal(handoffDecidedSignal);
      return (await handle.result()) as HandoffResult;
    });
    expect(result).toEqual({ outcome: 'decided', owners: ['ada'] });
  });

  it('stops at once when the answer comes while it waits for a rep', async () => {
    const f = fakes({ reps: [], noRepRounds: 0 });
    const result = await run(f.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await env.sleep(MINUTE);
      await handle.signal(handoffDecidedSignal);
      return (await handle.result()) as HandoffResult;
    });
    expect(result).toEqual({ outcome: 'decided', owners: [] });
    expect(f.calls).toEqual(['assign none']);
  });

  it('goes on waiting for the answer when a notification is given up on', async () => {
    const f = fakes({ reps: ['ada'] });
    const activities = {
      ...f.activities,
      async notifyOwner({ repId, channel }: { handoffId: string; repId: string; channel: Channel }) {
        f.calls.push(`${channel} ${repId}`);
        if (channel === 'webhook') throw ApplicationFailure.nonRetryable('Delivery refused: 410', 'HandoffWebhookRejected');
        return { outcome: 'sent' };
      },
    };
    const result = await run(activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await env.sleep(HOUR);
      await handle.signal(handoffDecidedSignal);
      return (await handle.result()) as HandoffResult;
    });
    expect(result).toEqual({ outcome: 'decided', owners: ['ada'] });
    expect(f.calls).toEqual(['assign ada', 'email ada', 'webhook ada']);
  });
});
