import { ATTRIBUTION_MODELS } from '@ce/attribution';
import type { FieldProblem } from '@ce/errors';
import { queryReader, readChoice, readCurrency, readDayRange, readFormat, ReportFormat } from './report-query';

/** `none`: one group, every row is a model's (and a period's, with an interval). */
export const GROUP_BYS = ['campaign', 'channel', 'campaign,channel', 'none'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
/** Time series: one row per period (weeks start on Monday). */
export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];
export const DEFAULT_MODEL = 'last_touch';

export interface RoiQuery {
  /** First and last day, inclusive, YYYY-MM-DD (UTC days, as the roll-ups count them). */
  from: string;
  to: string;
  /** Distinct, in the order asked for. */
  models: string[];
  groupBy: GroupBy;
  /** With an interval, rows are per period too; absent for one row per group over the range. */
  interval?: Interval;
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
  const q = queryReader(raw);
  const { text, fail, problems } = q;
  const range = readDayRange(q);

  const models = parseModels(text('models'), fail);

  const groupBy = readChoice(q, 'groupBy', GROUP_BYS, 'campaign');

  const intervalText = text('interval');
  const interval = intervalText === null ? undefined : (INTERVALS as readonly string[]).includes(intervalText) ? (intervalText as Interval) : null;
  if (interval === null) fail('interval', `must be one of ${INTERVALS.join(' | ')}, or absent for no time series`);

  const currency = readCurrency(q);
  const format = readFormat(q);

  if (problems.length > 0) return { query: null, problems };
  const query: RoiQuery = { ...range!, models: models!, groupBy: groupBy!, currency: currency!, format: format! };
  if (interval) query.interval = interval;
  return { query, problems };
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
