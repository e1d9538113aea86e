import type { FieldProblem } from '@ce/errors';
import { isUuid } from '@ce/segments';
import { isDay } from '../common/input-checks';
import { BASE_CURRENCY, currencyProblem } from '../currency-rates/rate-input';

/*
 * What the report queries share: trimmed text parameters where empty counts as absent, every
 * problem collected and named by its parameter, the day range (real calendar days, `to` on or
 * after `from` and at most MAX_RANGE_YEARS after it; or, for the campaign report, either bound
 * optional), one-of-a-list choices, the optional campaign, the reporting currency and the format.
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

/** A day parameter: null when absent (a problem when required), undefined when it is not a real calendar day. */
function readDay(q: QueryReader, field: string, required: boolean): string | null | undefined {
  const day = q.text(field);
  if (day === null) {
    if (required) q.fail(field, 'is required (YYYY-MM-DD)');
    return null;
  }
  if (isDay(day)) return day;
  q.fail(field, 'must be a real calendar day as YYYY-MM-DD');
  return undefined;
}

/** `from` and `to`, both required, under the ROI report's rules; null when either is wrong. */
export function readDayRange(q: QueryReader): { from: string; to: string } | null {
  const from = readDay(q, 'from', true);
  const to = readDay(q, 'to', true);
  if (!from || !to) return null;
  const latest = addYears(from, MAX_RANGE_YEARS);
  // Past year 9999 the latest day has a fifth digit, and every day there is (four) is before it.
  if (to < from) q.fail('to', 'must be on or after from');
  else if (latest.length === to.length && to > latest) q.fail('to', `must be at most ${MAX_RANGE_YEARS} years after from (${latest} at the latest)`);
  else return { from, to };
  return null;
}

/** `from` and `to`, each optional (null for no bound), `to` on or after `from`; null when either is wrong. */
export function readOpenDayRange(q: QueryReader): { from: string | null; to: string | null } | null {
  const from = readDay(q, 'from', false);
  const to = readDay(q, 'to', false);
  if (from === undefined || to === undefined) return null;
  if (from !== null && to !== null && to < from) {
    q.fail('to', 'must be on or after from');
    return null;
  }
  return { from, to };
}

/** The optional `campaignId`: a UUID, lower-cased; undefined when it is not one. */
export function readCampaignId(q: QueryReader): string | null | undefined {
  const id = q.text('campaignId');
  if (id === null) return null;
  if (isUuid(id)) return id.toLowerCase();
  q.fail('campaignId', 'must be a campaign id (UUID)');
  return undefined;
}

/** An optional parameter that must be one of `choices`, `fallback` when absent; null when it is none of them. */
export function readChoice<T extends string>(q: QueryReader, field: string, choices: readonly T[], fallback: T): T | null {
  const value = q.text(field) ?? fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  q.fail(field, `must be one of ${choices.join(' | ')}`);
  return null;
}

/** The optional `format`, json by default; null when it is not one of them. */
export const readFormat = (q: QueryReader): ReportFormat | null => readChoice(q, 'format', FORMATS, 'json');

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
