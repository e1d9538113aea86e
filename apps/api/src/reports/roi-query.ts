import { ATTRIBUTION_MODELS } from '@ce/attribution';
import type { FieldProblem } from '@ce/errors';
import { isDay } from '../common/input-checks';
import { BASE_CURRENCY, currencyProblem } from '../currency-rates/rate-input';

export const GROUP_BYS = ['campaign', 'channel', 'campaign,channel'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof FORMATS)[number];
export const DEFAULT_MODEL = 'last_touch';
/** The longest range a report covers: `to` at most this many years after `from`. */
export const MAX_RANGE_YEARS = 3;

export interface RoiQuery {
  /** First and last day, inclusive, YYYY-MM-DD (UTC days, as the roll-ups count them). */
  from: string;
  to: string;
  /** Distinct, in the order asked for. */
  models: string[];
  groupBy: GroupBy;
  /** The reporting currency. */
  currency: string;
  format: ReportFormat;
}

const MODELS: ReadonlySet<string> = new Set(ATTRIBUTION_MODELS);

/**
 * Reads the query of `GET /v1/reports/roi` and reports every problem at once, each naming its
 * parameter. Absent or empty parameters take their defaults.
 */
export function parseRoiQuery(raw: Readonly<Record<string, unknown>>): { query: RoiQuery | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const fail = (path: string, message: string) => problems.push({ path, message });
  const text = (field: string): string | null => {
    const value = raw[field];
    if (value === undefined || value === null) return null;
    const trimmed = String(value).trim();
    return trimmed === '' ? null : trimmed;
  };

  const from = text('from');
  const to = text('to');
  if (from === null) fail('from', 'is required (YYYY-MM-DD)');
  else if (!isDay(from)) fail('from', 'must be a real calendar day as YYYY-MM-DD');
  if (to === null) fail('to', 'is required (YYYY-MM-DD)');
  else if (!isDay(to)) fail('to', 'must be a real calendar day as YYYY-MM-DD');
  if (from !== null && to !== null && isDay(from) && isDay(to)) {
    if (to < from) fail('to', 'must be on or after from');
    else if (to > addYears(from, MAX_RANGE_YEARS)) fail('to', `must be at most ${MAX_RANGE_YEARS} years after from (${addYears(from, MAX_RANGE_YEARS)} at the latest)`);
  }

  const models = parseModels(text('models'), fail);

  const groupByText = text('groupBy') ?? 'campaign';
  const groupBy = (GROUP_BYS as readonly string[]).includes(groupByText) ? (groupByText as GroupBy) : null;
  if (!groupBy) fail('groupBy', `must be one of ${GROUP_BYS.join(' | ')}`);

  const currency = text('currency') ?? BASE_CURRENCY;
  const badCurrency = currencyProblem(currency);
  if (badCurrency) fail('currency', badCurrency);

  const formatText = text('format') ?? 'json';
  const format = (FORMATS as readonly string[]).includes(formatText) ? (formatText as ReportFormat) : null;
  if (!format) fail('format', `must be one of ${FORMATS.join(' | ')}`);

  if (problems.length > 0) return { query: null, problems };
  return { query: { from: from!, to: to!, models: models!, groupBy: groupBy!, currency, format: format! }, problems };
}

function parseModels(value: string | null, fail: (path: string, message: string) => void): string[] | null {
  if (value === null) return [DEFAULT_MODEL];
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !MODELS.has(name));
  if (unknown.length > 0) {
    const shown = unknown.map((name) => (name === '' ? '(empty)' : `"${name.slice(0, 40)}"`)).join(', ');
    fail('models', `has unknown models ${shown}; known: ${ATTRIBUTION_MODELS.join(', ')}`);
    return null;
  }
  return [...new Set(names)];
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
