import { StreamableFile } from '@nestjs/common';
import type { ReportFormat } from './report-query';

/** What a report's service gives its controller: the report, and the format it was asked in. */
export interface FormattedReport<T> {
  format: ReportFormat;
  report: T;
}

/**
 * A report's answer: in JSON the report itself; in CSV, `csv(report)` as a UTF-8 `text/csv`
 * attachment named `fileName(report)`.
 */
export function jsonOrCsv<T>({ format, report }: FormattedReport<T>, csv: (report: T) => string, fileName: (report: T) => string): T | StreamableFile {
  if (format === 'json') return report;
  return new StreamableFile(Buffer.from(csv(report), 'utf8'), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${fileName(report)}"` });
}
