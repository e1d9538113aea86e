import { UnprocessableError } from '@ce/errors';

/** The most rows a report answers with: groups × models (× periods in a time series). */
export const MAX_REPORT_ROWS = 50_000;

/**
 * The report would have more rows than `MAX_REPORT_ROWS`. Refused rather than cut short; the
 * problem names `interval` in a time series (a longer interval or a shorter range helps), else
 * `groupBy`.
 */
export class ReportTooLargeError extends UnprocessableError {
  constructor(rows: number, path: 'interval' | 'groupBy') {
    const advice = path === 'interval' ? 'ask for a longer interval, a shorter range, fewer models or a coarser groupBy' : 'ask for fewer models or a coarser groupBy';
    super('REPORT_TOO_LARGE', `The report would have ${rows} rows, more than the ${MAX_REPORT_ROWS} one answer holds.`, [
      { path, message: `gives ${rows} rows, more than ${MAX_REPORT_ROWS}: ${advice}` },
    ]);
  }
}
