import type { FieldProblem } from '@ce/errors';
import { queryReader, readCampaignId, readChoice, readCurrency, readDayRange, readFormat, ReportFormat } from './report-query';

export const COHORT_INTERVALS = ['month', 'week'] as const;
export type CohortInterval = (typeof COHORT_INTERVALS)[number];
export const DEFAULT_PERIODS = 12;
/** The most periods a cohort report follows each cohort for. */
export const MAX_PERIODS = 36;

export interface CohortQuery {
  /** First conversions from the start of `from` to the end of `to` (UTC days). */
  from: string;
  to: string;
  interval: CohortInterval;
  /** The reporting currency. */
  currency: string;
  campaignId: string | null;
  /** Periods followed per cohort, offsets 0 … periods − 1. */
  periods: number;
  format: ReportFormat;
}

/**
 * Reads the query of `GET /v1/reports/cohorts` and reports every problem at once, each naming
 * its parameter. Absent or empty optional parameters take their defaults.
 */
export function parseCohortQuery(raw: Readonly<Record<string, unknown>>): { query: CohortQuery | null; problems: FieldProblem[] } {
  const q = queryReader(raw);
  const range = readDayRange(q);

  const interval = readChoice(q, 'interval', COHORT_INTERVALS, 'month');
  const currency = readCurrency(q);
  const campaignId = readCampaignId(q);

  const periodsText = q.text('periods');
  const periods = periodsText === null ? DEFAULT_PERIODS : /^\d{1,3}$/.test(periodsText) ? Number(periodsText) : NaN;
  if (!(periods >= 1 && periods <= MAX_PERIODS)) q.fail('periods', `must be a whole number from 1 to ${MAX_PERIODS}`);

  const format = readFormat(q);
  if (q.problems.length > 0) return { query: null, problems: q.problems };
  return { query: { ...range!, interval: interval!, currency: currency!, campaignId: campaignId!, periods, format: format! }, problems: [] };
}
