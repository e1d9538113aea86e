/**
 * Workflows for the launch benchmark's baseline only (bundled by its own worker, never by the
 * campaign worker). Workflow code: it imports nothing but @temporalio/workflow.
 */
import { sleep } from '@temporalio/workflow';

/**
 * The bare SDK loop's "empty" workflow: like a nurture journey whose first step is a long
 * wait, its first workflow task starts one timer and the run sleeps. Same server-side work per
 * start (started event, one workflow task, one timer) without any of the engine.
 */
export async function benchHold(): Promise<void> {
  await sleep('30 days');
}
