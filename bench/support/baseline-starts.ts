import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';

export const BASELINE_TASK_QUEUE = 'bench-baseline';
/** temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW (the proto package is not a direct dependency). */
const WORKFLOW_TASK_QUEUE = 1;

export interface BaselineStarter {
  /**
   * Starts `count` benchHold workflows in batches of `batchSize` started together with
   * Promise.all, one batch after another (the launch activity's pattern); returns the
   * milliseconds from the first start request to the last acknowledgement.
   */
  startMany(count: number, batchSize: number, idPrefix: string): Promise<number>;
  /** Waits until the baseline worker has run every workflow's first task. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The bare SDK loop the launch is compared with: its own client connection (as the campaign
 * worker's activities have one) and its own worker running `benchHold`, with the SDK's
 * default workflow settings like the campaign worker's, both in this process.
 */
export async function createBaselineStarter(address: string, namespace: string): Promise<BaselineStarter> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const native = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: native,
    namespace,
    taskQueue: BASELINE_TASK_QUEUE,
    workflowsPath: require.resolve('./bench-workflows'),
  });
  const running = worker.run();
  return {
    async startMany(count, batchSize, idPrefix) {
      const started = performance.now();
      for (let from = 0; from < count; from += batchSize) {
        const ids = Array.from({ length: Math.min(batchSize, count - from) }, (_, i) => `${idPrefix}:${from + i}`);
        await Promise.all(ids.map((workflowId) => client.workflow.start('benchHold', { taskQueue: BASELINE_TASK_QUEUE, workflowId, args: [] })));
      }
      return performance.now() - started;
    },
    drain: () => waitForFirstTasks(connection, namespace, BASELINE_TASK_QUEUE, worker),
    async close() {
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
    },
  };
}

/**
 * Waits until a task queue has no workflow task waiting and `worker` has none in flight, in
 * four checks two seconds apart (the server refreshes its backlog count only every few
 * seconds); returns the milliseconds waited, so it overstates the time by up to that window.
 */
export async function waitForFirstTasks(connection: Connection, namespace: string, taskQueue: string, worker: Worker): Promise<number> {
  const started = performance.now();
  for (let quiet = 0; quiet < 4; ) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const described = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: WORKFLOW_TASK_QUEUE,
      reportStats: true,
    });
    const backlog = Number(described.stats?.approximateBacklogCount ?? 0);
    const inFlight = worker.getStatus().numInFlightWorkflowActivations;
    quiet = backlog === 0 && inFlight === 0 ? quiet + 1 : 0;
  }
  return performance.now() - started;
}
