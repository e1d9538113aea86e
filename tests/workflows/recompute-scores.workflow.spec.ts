import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { recomputeAgainSignal } from '@ce/contracts';
import type { RecomputeChunk } from '@activities/scoring/scoring.activities';
import type { recomputeScores } from '@workflows/recompute-scores.workflow';
import { timeSkippingEnvironment } from '../support/time-skipping';

const FIRST = '00000000-0000-0000-0000-000000000000';
/** The leads, by id, two per chunk. */
const LEADS = ['10', '20', '30', '40', '50'];

/**
 * The recompute of every lead's score: chunk after chunk from the first lead to the last, and,
 * when a new model arrives meanwhile, over again from the first lead. The activity is a fake
 * that walks a list of lead ids; the database side is tested in the integration tests.
 */
describe('recomputeScores workflow', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    ({ env, bundle } = await timeSkippingEnvironment());
  });

  afterAll(() => env?.teardown());

  /** A fake chunk activity over LEADS; `beforeChunk` runs first on each call (to signal mid-chunk). */
  function chunks(beforeChunk: (call: number) => Promise<void> = async () => undefined) {
    const calls: string[] = [];
    return {
      calls,
      async rescoreLeadChunk({ after }: { after: string }): Promise<RecomputeChunk> {
        calls.push(after);
        await beforeChunk(calls.length);
        const rest = LEADS.filter((id) => after === FIRST || id > after);
        const page = rest.slice(0, 2);
        const done = rest.length <= 2;
        return { next: done ? null : page[page.length - 1], scored: page.length, moved: 0 };
      },
    };
  }

  async function run(activities: ReturnType<typeof chunks>, body: (taskQueue: string) => Promise<unknown>) {
    const taskQueue = `recompute-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
    return worker.runUntil(() => body(taskQueue));
  }

  it('goes through every lead, chunk by chunk, once', async () => {
    const activities = chunks();
    const result = await run(activities, (taskQueue) =>
      env.client.workflow.execute<typeof recomputeScores>('recomputeScores', { taskQueue, workflowId: `recompute-${randomUUID()}`, args: [] }),
    );
    expect(result).toEqual({ scored: 5, passes: 1 });
    expect(activities.calls).toEqual([FIRST, '20', '40']);
  });

  it('starts over from the first lead when the model changes during a chunk', async () => {
    const workflowId = `recompute-${randomUUID()}`;
    const activities = chunks(async (call) => {
      // A new model is saved while the second chunk is being scored.
      if (call === 2) await env.client.workflow.getHandle(workflowId).signal(recomputeAgainSignal);
    });
    const result = await run(activities, (taskQueue) => env.client.workflow.execute<typeof recomputeScores>('recomputeScores', { taskQueue, workflowId, args: [] }));
    expect(activities.calls).toEqual([FIRST, '20', FIRST, '20', '40']);
    expect(result).toEqual({ scored: 2 + 2 + 5, passes: 2 });
  });

  it('goes on from where a run that continued as new had got to', async () => {
    const activities = chunks();
    const result = await run(activities, (taskQueue) =>
      env.client.workflow.execute<typeof recomputeScores>('recomputeScores', {
        taskQueue,
        workflowId: `recompute-${randomUUID()}`,
        args: [{ cursor: '20', scored: 2, passes: 1 }],
      }),
    );
    expect(activities.calls).toEqual(['20', '40']);
    expect(result).toEqual({ scored: 5, passes: 1 });
  });
});
