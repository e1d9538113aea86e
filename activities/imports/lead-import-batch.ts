import type { ClientBase } from 'pg';
import { IMPORT_BATCH_SIZE, ImportCounts, LeadImportHeartbeat } from '@ce/contracts';
import { LeadRecord, mergeRecords, upsertLeads, UpsertResult } from '@ce/leads';
import { MAX_RAW_CHARS } from './text-lines';

interface Rejection {
  rowNumber: number;
  reason: string;
  raw: string;
}

interface Batch {
  records: LeadRecord[];
  rejections: Rejection[];
  /** Rows in the batch, and the number of its last. */
  rows: number;
  lastRow: number;
}

/**
 * Collects an import's rows and writes them a batch at a time: the valid leads through
 * upsertLeads, then in one statement the rejections (once each, however often a batch is
 * retried) and the progress on the import's row. While one batch is being written the next is
 * collected, so reading the file and writing to the database overlap; memory holds two batches
 * at most. Progress is reported in file order, after each batch is written.
 */
export class LeadImportBatch {
  private next: Batch;
  private writing: Promise<void> | null = null;
  private written: LeadImportHeartbeat;

  constructor(
    private readonly client: ClientBase,
    private readonly importId: string,
    from: LeadImportHeartbeat,
    private readonly onWritten: (progress: LeadImportHeartbeat) => void,
    private readonly batchSize = IMPORT_BATCH_SIZE,
  ) {
    this.written = { rowNumber: from.rowNumber, counts: { ...from.counts } };
    this.next = emptyBatch(from.rowNumber);
  }

  get full(): boolean {
    return this.next.records.length >= this.batchSize || this.next.rejections.length >= this.batchSize;
  }

  accept(rowNumber: number, record: LeadRecord): void {
    this.next.records.push(record);
    this.next.rows++;
    this.next.lastRow = rowNumber;
  }

  reject(rowNumber: number, reason: string, raw: string): void {
    this.next.rejections.push({ rowNumber, reason, raw: raw.length > MAX_RAW_CHARS ? raw.slice(0, MAX_RAW_CHARS) : raw });
    this.next.rows++;
    this.next.lastRow = rowNumber;
  }

  /** Starts writing the rows collected so far once the previous batch is written. */
  async flush(): Promise<void> {
    await this.writing;
    const batch = this.next;
    this.next = emptyBatch(batch.lastRow);
    this.writing = this.write(batch);
    // Awaited by the next flush, finish or settle; this only keeps it from counting as unhandled meanwhile.
    this.writing.catch(() => undefined);
  }

  /** Writes what is left; returns the progress after the last row. */
  async finish(): Promise<LeadImportHeartbeat> {
    await this.flush();
    await this.writing;
    return { rowNumber: this.written.rowNumber, counts: { ...this.written.counts } };
  }

  /** Waits for a write under way, whatever its outcome, so the connection can be given back. */
  async settle(): Promise<void> {
    await this.writing?.catch(() => undefined);
  }

  private async write(batch: Batch): Promise<void> {
    const counts = { ...this.written.counts };
    if (batch.records.length > 0) tally(batch.records, await upsertLeads(this.client, batch.records, 'import'), counts);
    counts.rowsRead += batch.rows;
    counts.rejected += batch.rejections.length;
    const { rowsRead, imported, updated, unchanged, rejected } = counts;
    await this.client.query(
      `with rejected as (
         insert into lead_import_rejections (lead_import_id, row_number, reason, raw)
         select $1, r.row_number, r.reason, r.raw
         from unnest($2::int[], $3::text[], $4::text[]) as r(row_number, reason, raw)
         on conflict do nothing
       )
       update lead_imports
       set rows_read = $5, imported = $6, updated = $7, unchanged = $8, rejected = $9
       where id = $1`,
      [
        this.importId,
        batch.rejections.map((r) => r.rowNumber),
        batch.rejections.map((r) => r.reason),
        batch.rejections.map((r) => r.raw),
        rowsRead,
        imported,
        updated,
        unchanged,
        rejected,
      ],
    );
    this.written = { rowNumber: batch.lastRow, counts };
    this.onWritten({ rowNumber: batch.lastRow, counts: { ...counts } });
  }
}

function emptyBatch(lastRow: number): Batch {
  return { records: [], rejections: [], rows: 0, lastRow };
}

/**
 * Adds a batch's outcomes to the counts, one per row. upsertLeads gives rows naming the same
 * lead the same outcome; here only the first such row takes it, and each later one counts as
 * updated if it added or changed a value, else unchanged. So `imported` counts leads created,
 * and a file that names a lead twice counts as it would across two batches.
 */
function tally(records: LeadRecord[], results: UpsertResult[], counts: ImportCounts): void {
  const seen = new Map<string, LeadRecord>();
  results.forEach((result, i) => {
    const record = records[i];
    const before = seen.get(result.email);
    if (before === undefined) {
      seen.set(result.email, record);
      if (result.outcome === 'created') counts.imported++;
      else counts[result.outcome]++;
      return;
    }
    const merged = mergeRecords(before, record);
    if (JSON.stringify(merged) === JSON.stringify(before)) counts.unchanged++;
    else counts.updated++;
    seen.set(result.email, merged);
  });
}
