import { CsvCell, toCsv } from './csv';
import type { RoiReportDto, RoiRowDto } from './dto/roi-report.dto';

const FIGURES = ['model', 'currency', 'conversions', 'revenue', 'cost', 'roi', 'roas', 'costPerAcquisition'] as const;

/** The group columns a report has, by its groupBy. */
export function groupColumns(groupBy: string): (keyof RoiRowDto)[] {
  const columns: (keyof RoiRowDto)[] = [];
  if (groupBy.split(',').includes('campaign')) columns.push('campaignId', 'campaignName');
  if (groupBy.split(',').includes('channel')) columns.push('channel');
  return columns;
}

/**
 * The report as CSV: a header, one line per row with the same fields as the JSON rows, then one
 * line per model's total, whose group columns are empty.
 */
export function roiReportCsv(report: RoiReportDto): string {
  const group = groupColumns(report.groupBy);
  const header = [...group, ...FIGURES];
  const cell = (value: unknown): CsvCell => (value === undefined ? null : (value as CsvCell));
  const rows = report.rows.map((row) => header.map((column) => cell(row[column as keyof RoiRowDto])));
  const totals = report.totals.map((total) => [...group.map(() => null), ...FIGURES.map((column) => cell(total[column]))]);
  return toCsv(header, [...rows, ...totals]);
}
