import { toCsv } from './csv';
import type { CohortReportDto } from './dto/cohorts.dto';

const HEADER = ['cohort', 'customers', 'offset', 'activeCustomers', 'retention', 'revenue', 'cumulativeRevenue', 'ltv', 'currency'];

/** The cohorts as CSV: a header, then one line per cohort and offset, with the JSON's fields. */
export function cohortReportCsv(report: CohortReportDto): string {
  const lines = report.cohorts.flatMap((c) =>
    c.periods.map((p) => [c.cohort, c.customers, p.offset, p.activeCustomers, p.retention, p.revenue, p.cumulativeRevenue, p.ltv, report.currency]),
  );
  return toCsv(HEADER, lines);
}

/** The CSV file's name: interval, range and currency. */
export function cohortCsvFileName(report: CohortReportDto): string {
  return `cohorts-${report.interval}-${report.from}-${report.to}-${report.currency}.csv`;
}
