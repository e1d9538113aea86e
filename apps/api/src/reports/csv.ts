/** A CSV cell: text as is, numbers in JavaScript's shortest form, null as an empty cell. */
export type CsvCell = string | number | null;

/** One field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: CsvCell): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per record, each ended by CRLF (RFC 4180). */
export function toCsv(header: readonly string[], records: readonly (readonly CsvCell[])[]): string {
  return [header, ...records].map((record) => record.map(csvField).join(',') + '\r\n').join('');
}
