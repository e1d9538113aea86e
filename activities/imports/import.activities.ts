import { CancelledFailure, Context } from '@temporalio/activity';
import type { FailLeadImportInput, ImportLeadsResult, LeadImportHeartbeat, RunLeadImportInput } from '@ce/contracts';
import type { ActivityDeps } from '../deps';
import { failLeadImportJob, runLeadImportJob } from './lead-import-job';

export type ImportActivityDeps = Pick<ActivityDeps, 'orm' | 'logger'> & { config: Pick<ActivityDeps['config'], 'importDir'> };

export const createImportActivities = ({ orm, logger, config }: ImportActivityDeps) => ({
  /**
   * Imports an uploaded file into leads, a batch at a time. After each batch it heartbeats the
   * last row written and the counts, so a retried attempt resumes there instead of starting over.
   * A cancellation (the worker shutting down) stops it after the batch in hand.
   */
  async runLeadImport(input: RunLeadImportInput): Promise<ImportLeadsResult> {
    const context = Context.current();
    return runLeadImportJob({ orm, logger, importDir: config.importDir }, input.importId, {
      resumeFrom: readHeartbeat(context.info.heartbeatDetails),
      onProgress(progress) {
        context.heartbeat(progress);
        if (context.cancellationSignal.aborted) throw new CancelledFailure('The import was interrupted; it resumes after its last batch.');
      },
    });
  },

  /** Marks an import failed for good, saying why, and removes its file. */
  async failLeadImport(input: FailLeadImportInput): Promise<void> {
    await failLeadImportJob(orm, config.importDir, input.importId, input.error);
  },
});

function readHeartbeat(details: unknown): LeadImportHeartbeat | null {
  const value = details as Partial<LeadImportHeartbeat> | undefined;
  return value && typeof value.rowNumber === 'number' && value.counts ? { rowNumber: value.rowNumber, counts: value.counts } : null;
}
