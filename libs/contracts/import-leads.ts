/** Lead imports: the workflow that reads an uploaded file into leads, and its activity. */

export interface ImportLeadsInput {
  importId: string;
}

/** Rows read so far and what became of them; every row read is counted exactly once. */
export interface ImportCounts {
  rowsRead: number;
  /** Leads the import created. */
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportLeadsResult extends ImportCounts {
  importId: string;
}

export interface RunLeadImportInput {
  importId: string;
}

export interface FailLeadImportInput {
  importId: string;
  error: string;
}

/**
 * What the import activity heartbeats after each batch: the last data row (1-based) whose
 * outcome is written, and the counts up to it. A retried attempt resumes after that row.
 */
export interface LeadImportHeartbeat {
  rowNumber: number;
  counts: ImportCounts;
}

/** Valid rows written per round trip to the database. */
export const IMPORT_BATCH_SIZE = 5_000;

/** One workflow per import, so uploading or starting twice cannot run it twice. */
export const importLeadsWorkflowId = (importId: string) => `import-leads:${importId}`;
