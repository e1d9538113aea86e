import { CsvCell, toCsv } from './csv';
import type { RoiReportDto, RoiRowDto } from './dto/roi-report.dto';

const FIGURES = [
  'model',
  'currency',
  'conversions',
  'revenue',
  'cost',
  'roi',
  'roas',
  'costPerAcquisition',
  'enrolled',
  'delivered',
  'opened',
  'clicked',
  'engaged',
  'engagementRate',
  'reached',
  'leads',
  'conversionRate',
  'costPerLead',
] as const;

/** The group columns a report has, by its groupBy (none for `none`). */
export function groupColumns(groupBy: string): (keyof RoiRowDto)[] {
  const columns: (keyof RoiRowDto)[] = [];
  if (groupBy.split(',').includes('campaign')) columns.push('campaignId', 'campaignName');
  if (groupBy.split(',').includes('channel')) columns.push('channel');
  return columns;
}

/**
 * The report as CSV: a header, one line per row with the same fields as the JSON rows (`period`
 * first in a time series), then one line per model's total, whose period and group columns are
 * empty.
 */
export function roiReportCsv(report: RoiReportDto): string {
  const keys: (keyof RoiRowDto)[] = [...(report.interval ? (['period'] as const) : []), ...groupColumns(report.groupBy)];
  const header = [...keys, ...FIGURES];
  const cell = (value: unknown): CsvCell => (value === undefined ? null : (value as CsvCell));
  const rows = report.rows.map((row) => header.map((column) => cell(row[column as keyof RoiRowDto])));
  const totals = report.totals.map((total) => [...keys.map(() => null), ...FIGURES.map((column) => cell(total[column]))]);
  return toCsv(header, [...rows, ...totals]);
}

/** The CSV file's name: grouping, interval, range and currency, e.g. `roi-none-by-week-2026-05-01-2026-05-31-EUR.csv`. */
export function roiCsvFileName(report: RoiReportDto): string {
  return `roi-${report.groupBy.replace(',', '-')}${report.interval ? `-by-${report.interval}` : ''}-${report.from}-${report.to}-${report.currency}.csv`;
}
