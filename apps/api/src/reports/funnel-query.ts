import type { FieldProblem } from '@ce/errors';
import { queryReader, readCampaignId, readDayRange, readFormat, ReportFormat } from './report-query';

/*
 * The query of `GET /v1/reports/funnel`, and the pieces the lifecycle reports share (the cohort
 * report reads its day range, campaign and format the same way). Day and range rules are the ROI
 * report's: real calendar days, `to` on or after `from` and at most 3 years after it.
 */

export interface FunnelQuery {
  /** First and last day, inclusive, YYYY-MM-DD (UTC days). */
  from: string;
  to: string;
  /** Lower-case; null for every lead created in the range. */
  campaignId: string | null;
  format: ReportFormat;
}

/** Reads the funnel's query and reports every problem at once, each naming its parameter. */
export function parseFunnelQuery(raw: Readonly<Record<string, unknown>>): { query: FunnelQuery | null; problems: FieldProblem[] } {
  const q = queryReader(raw);
  const range = readDayRange(q);
  const campaignId = readCampaignId(q);
  const format = readFormat(q);
  if (q.problems.length > 0) return { query: null, problems: q.problems };
  return { query: { ...range!, campaignId: campaignId!, format: format! }, problems: [] };
}
