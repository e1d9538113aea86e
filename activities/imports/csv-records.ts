import { Line, MAX_ROW_CHARS } from './text-lines';

/**
 * CSV records (RFC 4180: comma-separated, fields optionally in double quotes, "" for a quote,
 * line breaks allowed inside quotes) from a stream of lines, one malformed record at a time.
 *
 * Why not csv-parse's `skip_records_with_error`: after a bad closing quote it stays in quoted
 * mode and swallows the following good rows into the skipped one. Here a record's end is found
 * first (a line ends it unless a properly opened quoted field is still open), then its fields
 * are split strictly, so a malformed record is rejected alone. A quoted field still open after
 * MAX_ROW_CHARS, or at the end of the file, rejects its first line only; reading resumes at the
 * next line.
 */
export type CsvRecord = { raw: string; fields: string[] } | { raw: string; error: string; column: number };

const QUOTE = 34; // "
const COMMA = 44; // ,
const NOT_CLOSED = 'a quoted value is not closed';

export class CsvRecordReader {
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(private readonly maxChars = MAX_ROW_CHARS) {}

  /** Takes the next line; appends the records it completes to `out`. */
  push(line: Line, out: CsvRecord[]): void {
    if ('overlong' in line) {
      while (this.pending.length > 0) this.giveUpOnPending(out);
      out.push({ raw: line.overlong, error: `the row is longer than ${this.maxChars} characters`, column: 0 });
      return;
    }
    const { text } = line;
    if (this.pending.length === 0) {
      if (text.trim() === '') return; // blank lines are not rows
      const record = splitCsvRecord(text);
      if ('error' in record && record.error === NOT_CLOSED) {
        this.pending = [text];
        this.pendingChars = text.length;
      } else {
        out.push({ raw: text, ...record });
      }
      return;
    }
    this.pending.push(text);
    this.pendingChars += text.length + 1;
    if (!endsInsideQuotes(text, true)) {
      const raw = this.pending.join('\n');
      this.pending = [];
      out.push({ raw, ...splitCsvRecord(raw) });
    } else if (this.pendingChars > this.maxChars) {
      this.giveUpOnPending(out);
    }
  }

  /** At the end of the input: a quoted field still open is not closed. */
  end(out: CsvRecord[]): void {
    while (this.pending.length > 0) this.giveUpOnPending(out);
  }

  private giveUpOnPending(out: CsvRecord[]): void {
    const [first, ...rest] = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    const split = splitCsvRecord(first);
    out.push({ raw: first, error: NOT_CLOSED, column: split.error === undefined ? 0 : split.column });
    for (const text of rest) this.push({ text }, out);
  }
}

/** Splits one record into fields; any quote out of place makes it an error naming the column (1-based). */
export function splitCsvRecord(text: string): { fields: string[]; error?: undefined } | { error: string; column: number; fields?: undefined } {
  const fields: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) return { error: NOT_CLOSED, column: fields.length + 1 };
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i >= n) return { fields };
      if (text.charCodeAt(i) !== COMMA) return { error: 'text follows a closing quote', column: fields.length };
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      const value = text.slice(i, end);
      if (value.includes('"')) return { error: 'a quote inside an unquoted value', column: fields.length + 1 };
      fields.push(value);
      if (comma < 0) return { fields };
      i = comma + 1;
    }
  }
}

/**
 * Whether a line ends inside a quoted field. Only a quote at the start of a field opens one;
 * after a closing quote the rest of the field is read as plain text (the record is malformed,
 * and splitCsvRecord will say so).
 */
export function endsInsideQuotes(line: string, startsInside: boolean): boolean {
  let inside = startsInside;
  let fieldStart = !startsInside;
  let i = 0;
  while (i < line.length) {
    if (inside) {
      const q = line.indexOf('"', i);
      if (q < 0) return true;
      if (line.charCodeAt(q + 1) === QUOTE) {
        i = q + 2;
        continue;
      }
      inside = false;
      fieldStart = false;
      i = q + 1;
    } else if (fieldStart && line.charCodeAt(i) === QUOTE) {
      inside = true;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) return false;
      fieldStart = true;
      i = comma + 1;
    }
  }
  return inside;
}
