import { access, rm } from 'node:fs/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import type { ClientBase } from 'pg';
import type { Logger } from 'pino';
import type { ImportCounts, ImportLeadsResult, LeadImportHeartbeat } from '@ce/contracts';
import { ImportFormat, LeadImport, withPgClient } from '@ce/db';
import type { AttributeRules } from '@ce/leads';
import { loadAttributeRules } from './attribute-rules';
import { importFilePath } from './import-file';
import { LeadImportBatch } from './lead-import-batch';
import { compileMapping, MappedColumn } from './lead-import-mapping';
import { readLeadRows } from './lead-rows';
import { describeProblems, validateImportedLead } from './validate-imported-lead';

export interface LeadImportJobDeps {
  orm: MikroORM;
  /** Where the API stores uploaded files, as `<import id>.<format>`. */
  importDir: string;
  logger: Logger;
}

export interface LeadImportJobHooks {
  /** How far an earlier attempt got (its last heartbeat). */
  resumeFrom?: LeadImportHeartbeat | null;
  /**
   * Called after each batch is written, and now and then while resuming rows are skipped.
   * Throwing stops the run; a later run resumes after the last batch written.
   */
  onProgress?: (progress: LeadImportHeartbeat) => void;
}

/**
 * Imports an uploaded file into leads, streaming: rows are read, validated and written a batch
 * at a time, so memory stays flat whatever the file's size. Resumes after the last batch
 * written, whether the earlier attempt reported it by heartbeat or only got to record it.
 * Needs no Temporal activity context; the activity, the tests and the benchmark all call it.
 */
export async function runLeadImportJob(deps: LeadImportJobDeps, importId: string, hooks: LeadImportJobHooks = {}): Promise<ImportLeadsResult> {
  const em = deps.orm.em.fork();
  const job = await em.findOne(LeadImport, importId);
  if (!job) throw ApplicationFailure.nonRetryable(`Lead import ${importId} does not exist.`, 'ImportNotFound');
  if (job.status === 'completed') return { importId, ...countsOf(job) };

  const attributes = await loadAttributeRules(em);
  const { columns, problems } = compileMapping(job.mapping, attributes);
  if (problems.length > 0) {
    throw ApplicationFailure.nonRetryable(`The mapping does not fit the declared attributes: ${describeProblems(problems)}`, 'ImportMappingInvalid');
  }
  const path = importFilePath(deps.importDir, job.id, job.format);
  if (!(await access(path).then(() => true, () => false))) {
    throw ApplicationFailure.nonRetryable(`The uploaded file ${job.id}.${job.format} is missing from the import folder.`, 'ImportFileMissing');
  }

  const recorded: LeadImportHeartbeat = { rowNumber: job.rowsRead, counts: countsOf(job) };
  const from = hooks.resumeFrom && hooks.resumeFrom.rowNumber > recorded.rowNumber ? hooks.resumeFrom : recorded;
  const report = hooks.onProgress ?? (() => undefined);
  await em.nativeUpdate(LeadImport, { id: job.id }, { status: 'running', error: null });
  deps.logger.info({ msg: 'lead import started', importId, format: job.format, resumeAfterRow: from.rowNumber });

  const counts = await withPgClient(em, (client) =>
    importRows(client, { importId: job.id, path, format: job.format, columns, attributes }, from, report),
  );

  await em.nativeUpdate(LeadImport, { id: job.id }, { ...counts, status: 'completed', finishedAt: new Date() });
  await rm(path, { force: true });
  deps.logger.info({ msg: 'lead import completed', importId, ...counts });
  return { importId, ...counts };
}

/** Marks an import failed for good, unless it completed meanwhile, and removes its file. */
export async function failLeadImportJob(orm: MikroORM, importDir: string, importId: string, error: string): Promise<void> {
  const em = orm.em.fork();
  const failed = await em.nativeUpdate(
    LeadImport,
    { id: importId, status: { $ne: 'completed' } },
    { status: 'failed', error: error.slice(0, 2_000), finishedAt: new Date() },
  );
  const job = failed > 0 ? await em.findOne(LeadImport, importId) : null;
  if (job) await rm(importFilePath(importDir, job.id, job.format), { force: true });
}

interface ImportSource {
  importId: string;
  path: string;
  format: ImportFormat;
  columns: MappedColumn[];
  attributes: AttributeRules;
}

/** Reads, validates and writes every row after `from`; returns the counts after the last. */
async function importRows(client: ClientBase, source: ImportSource, from: LeadImportHeartbeat, report: (progress: LeadImportHeartbeat) => void): Promise<ImportCounts> {
  const batch = new LeadImportBatch(client, source.importId, from, report);
  try {
    for await (const rows of readLeadRows(source.path, source.format, source.columns)) {
      for (const row of rows) {
        if (row.rowNumber <= from.rowNumber) continue;
        if ('problem' in row) {
          batch.reject(row.rowNumber, row.problem, row.raw);
        } else {
          const { record, problems } = validateImportedLead(row.lead, source.attributes);
          if (problems.length > 0) batch.reject(row.rowNumber, describeProblems(problems), row.raw);
          else batch.accept(row.rowNumber, record);
        }
        if (batch.full) await batch.flush();
      }
      // Skipping a long way on resume is work too; say so before the heartbeat times out.
      if (rows[rows.length - 1].rowNumber <= from.rowNumber) report(from);
    }
    return (await batch.finish()).counts;
  } finally {
    // A write still under way must end before the connection goes back to the pool.
    await batch.settle();
  }
}

function countsOf(job: LeadImport): ImportCounts {
  return { rowsRead: job.rowsRead, imported: job.imported, updated: job.updated, unchanged: job.unchanged, rejected: job.rejected };
}
