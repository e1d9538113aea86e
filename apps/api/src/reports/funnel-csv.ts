import { toCsv } from './csv';
import type { FunnelReportDto } from './dto/funnel.dto';

const HEADER = ['stage', 'reached', 'stillIn', 'toNextRate', 'medianDaysInStage'] as const;

/**
 * The funnel as CSV: a header, one line per funnel stage with the same fields as the JSON
 * stages, then a `disqualified` line whose `stillIn` is the report's `disqualified` (it is no
 * funnel step, so its other cells are empty).
 */
export function funnelReportCsv(report: FunnelReportDto): string {
  const lines = report.stages.map((s) => HEADER.map((column) => s[column]));
  return toCsv(HEADER, [...lines, ['disqualified', null, report.disqualified, null, null]]);
}

/** The CSV file's name: range and, when there is one, campaign. */
export function funnelCsvFileName(report: FunnelReportDto): string {
  return `funnel-${report.from}-${report.to}${report.campaignId ? `-${report.campaignId}` : ''}.csv`;
}
