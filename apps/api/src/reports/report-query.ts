import type { FieldProblem } from '@ce/errors';
import { isUuid } from '@ce/segments';
import { isDay } from '../common/input-checks';
import { BASE_CURRENCY, currencyProblem } from '../currency-rates/rate-input';

/*
 * What the report queries share: trimmed text parameters where empty counts as absent, every
 * problem collected and named by its parameter, the day range (real calendar days, `to` on or
 * after `from` and at most MAX_RANGE_YEARS after it), the optional campaign, the reporting
 * currency and the format.
 */

export const FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof FORMATS)[number];
/** The longest range a report covers: `to` at most this many years after `from`. */
export const MAX_RANGE_YEARS = 3;

/** Collects problems and reads trimmed text parameters; empty counts as absent. */
export interface QueryReader {
  problems: FieldProblem[];
  fail(path: string, message: string): void;
  text(field: string): string | null;
}

export function queryReader(raw: Readonly<Record<string, unknown>>): QueryReader {
  const problems: FieldProblem[] = [];
  return {
    problems,
    fail: (path, message) => problems.push({ path, message }),
    text(field) {
      const value = raw[field];
      if (value === undefined || value === null) return null;
      const trimmed = String(value).trim();
      return trimmed === '' ? null : trimmed;
    },
  };
}

/** `from` and `to`, both required, under the ROI report's rules; null when either is wrong. */
export function readDayRange(q: QueryReader): { from: string; to: string } | null {
  const from = q.text('from');
  const to = q.text('to');
  if (from === null) q.fail('from', 'is required (YYYY-MM-DD)');
  else if (!isDay(from)) q.fail('from', 'must be a real calendar day as YYYY-MM-DD');
  if (to === null) q.fail('to', 'is required (YYYY-MM-DD)');
  else if (!isDay(to)) q.fail('to', 'must be a real calendar day as YYYY-MM-DD');
  if (from === null || to === null || !isDay(from) || !isDay(to)) return null;
  const latest = addYears(from, MAX_RANGE_YEARS);
  // Past year 9999 the latest day has a fifth digit, and every day there is (four) is before it.
  if (to < from) q.fail('to', 'must be on or after from');
  else if (latest.length === to.length && to > latest) q.fail('to', `must be at most ${MAX_RANGE_YEARS} years after from (${latest} at the latest)`);
  else return { from, to };
  return null;
}

/** The optional `campaignId`: a UUID, lower-cased; undefined when it is not one. */
export function readCampaignId(q: QueryReader): string | null | undefined {
  const id = q.text('campaignId');
  if (id === null) return null;
  if (isUuid(id)) return id.toLowerCase();
  q.fail('campaignId', 'must be a campaign id (UUID)');
  return undefined;
}

/** The optional `format`, json by default; null when it is not one of them. */
export function readFormat(q: QueryReader): ReportFormat | null {
  const format = q.text('format') ?? 'json';
  if ((FORMATS as readonly string[]).includes(format)) return format as ReportFormat;
  q.fail('format', `must be one of ${FORMATS.join(' | ')}`);
  return null;
}

/** The optional reporting `currency`, the rates' own currency by default; null when it is not a currency. */
export function readCurrency(q: QueryReader): string | null {
  const currency = q.text('currency') ?? BASE_CURRENCY;
  const problem = currencyProblem(currency);
  if (!problem) return currency;
  q.fail('currency', problem);
  return null;
}

/** The same day of the month, `years` later (29 February becomes 1 March). */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y + years, m - 1, d);
  const yyyy = String(date.getUTCFullYear()).padStart(4, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `${yyyy}-${mm}-${dd}`;
}
