import { createReadStream } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import type { ImportFormat } from '@ce/db';
import { CsvRecord, CsvRecordReader } from './csv-records';
import { MappedColumn, toRawLead } from './lead-import-mapping';
import { Line, MAX_ROW_CHARS, readLines } from './text-lines';

/**
 * A data row of an import file (numbered from 1; a CSV header and blank lines are not rows):
 * either the lead it describes, not yet validated, or why it could not even be read.
 */
export type SourceRow =
  | { rowNumber: number; raw: string; lead: Record<string, unknown> }
  | { rowNumber: number; raw: string; problem: string };

/** Small enough that the event loop gets back to the database between chunks. */
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Reads an import file a chunk at a time and yields its rows a chunk at a time. Nothing is read
 * ahead of the consumer: a slow consumer (the database) slows the reading down.
 */
export function readLeadRows(path: string, format: ImportFormat, columns: MappedColumn[]): AsyncGenerator<SourceRow[]> {
  const lines = readLines(createReadStream(path, { encoding: 'utf8', highWaterMark: READ_CHUNK_BYTES }));
  return format === 'csv' ? csvRows(lines, columns) : ndjsonRows(lines, columns);
}

/** The file cannot be imported at all; retrying will not help. */
export function unreadable(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'ImportFileUnreadable');
}

async function* csvRows(lines: AsyncIterable<Line[]>, columns: MappedColumn[]): AsyncGenerator<SourceRow[]> {
  const reader = new CsvRecordReader(MAX_ROW_CHARS);
  let header: string[] | null = null;
  let indexes: number[] = [];
  let rowNumber = 0;

  const toRows = (records: CsvRecord[]): SourceRow[] => {
    const rows: SourceRow[] = [];
    for (const record of records) {
      if (header === null) {
        header = readHeader(record);
        indexes = columnIndexes(header, columns);
        continue;
      }
      rowNumber++;
      if ('error' in record) {
        const name = header[record.column - 1];
        const where = record.column > 0 ? ` in column ${record.column}${name !== undefined ? ` ("${name}")` : ''}` : '';
        rows.push({ rowNumber, raw: record.raw, problem: `csv: ${record.error}${where}` });
        continue;
      }
      const values = indexes.map((index) => record.fields[index]);
      rows.push({ rowNumber, raw: record.raw, lead: toRawLead(columns, values, true) });
    }
    return rows;
  };

  for await (const chunk of lines) {
    const records: CsvRecord[] = [];
    for (const line of chunk) reader.push(line, records);
    const rows = toRows(records);
    if (rows.length > 0) yield rows;
  }
  const last: CsvRecord[] = [];
  reader.end(last);
  const rows = toRows(last);
  if (rows.length > 0) yield rows;
  if (header === null) throw unreadable('the file has no header row');
}

function readHeader(record: CsvRecord): string[] {
  if ('error' in record) throw unreadable(`the header row is not valid CSV: ${record.error} in column ${record.column}`);
  return record.fields.map((name) => name.trim());
}

/** Where each mapped column is in the file; a mapped column the file lacks fails the import. */
function columnIndexes(header: string[], columns: MappedColumn[]): number[] {
  const missing = columns.filter((c) => !header.includes(c.source)).map((c) => `"${c.source}"`);
  if (missing.length > 0) {
    throw unreadable(`the file has no column ${missing.join(', ')}; its columns are ${header.map((h) => `"${h}"`).join(', ')}`);
  }
  const twice = columns.filter((c) => header.indexOf(c.source) !== header.lastIndexOf(c.source)).map((c) => `"${c.source}"`);
  if (twice.length > 0) throw unreadable(`the file has more than one column named ${twice.join(', ')}`);
  return columns.map((c) => header.indexOf(c.source));
}

async function* ndjsonRows(lines: AsyncIterable<Line[]>, columns: MappedColumn[]): AsyncGenerator<SourceRow[]> {
  let rowNumber = 0;
  for await (const chunk of lines) {
    const rows: SourceRow[] = [];
    for (const line of chunk) {
      if ('overlong' in line) {
        rows.push({ rowNumber: ++rowNumber, raw: line.overlong, problem: `json: the line is longer than ${MAX_ROW_CHARS} characters` });
        continue;
      }
      if (line.text.trim() === '') continue;
      rows.push(jsonRow(++rowNumber, line.text, columns));
    }
    if (rows.length > 0) yield rows;
  }
}

function jsonRow(rowNumber: number, raw: string, columns: MappedColumn[]): SourceRow {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { rowNumber, raw, problem: `json: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { rowNumber, raw, problem: 'json: each line must be a JSON object' };
  }
  const object = value as Record<string, unknown>;
  const values = columns.map((c) => (Object.hasOwn(object, c.source) ? object[c.source] : undefined));
  return { rowNumber, raw, lead: toRawLead(columns, values, false) };
}
