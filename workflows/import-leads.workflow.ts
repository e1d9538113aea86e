import { ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { ImportLeadsInput, ImportLeadsResult } from '@ce/contracts';
import type { Activities } from '@activities/index';

/**
 * A large file takes a while; the activity heartbeats after every batch, so after a worker
 * crash the retry resumes after the last batch written. Transient failures (the database gone
 * for a moment) are retried with backoff; a file that cannot be imported fails at once.
 */
const importing = proxyActivities<Activities>({
  startToCloseTimeout: '24 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Imports one uploaded lead file; on a failure for good the import is marked failed, saying why. */
export async function importLeads(input: ImportLeadsInput): Promise<ImportLeadsResult> {
  try {
    return await importing.runLeadImport({ importId: input.importId });
  } catch (error) {
    const reason = describeFailure(error);
    await CancellationScope.nonCancellable(() => bookkeeping.failLeadImport({ importId: input.importId, error: reason }));
    if (isCancellation(error)) throw error;
    throw ApplicationFailure.nonRetryable(reason, 'ImportFailed');
  }
}

function describeFailure(error: unknown): string {
  if (isCancellation(error)) return 'The import was cancelled.';
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
