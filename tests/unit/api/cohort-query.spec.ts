import { parseCohortQuery } from '../../../apps/api/src/reports/cohort-query';
import { assembleCohorts, CohortRow } from '../../../apps/api/src/reports/cohort-report.service';
import { cohortCsvFileName, cohortReportCsv } from '../../../apps/api/src/reports/cohort-csv';

const paths = (raw: Record<string, unknown>) => parseCohortQuery(raw).problems.map((p) => p.path);
const range = { from: '2026-01-01', to: '2026-06-30' };

describe('parseCohortQuery', () => {
  it('takes the defaults: monthly, in EUR, 12 periods, every customer, as JSON', () => {
    expect(parseCohortQuery(range)).toEqual({
      query: { ...range, interval: 'month', currency: 'EUR', campaignId: null, periods: 12, format: 'json' },
      problems: [],
    });
  });

  it('reads weeks, a currency, a campaign, periods and csv; empty parameters are absent', () => {
    const campaignId = '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21';
    expect(parseCohortQuery({ ...range, interval: 'week', currency: 'USD', campaignId, periods: '36', format: 'csv' }).query).toEqual({
      ...range, interval: 'week', currency: 'USD', campaignId, periods: 36, format: 'csv',
    });
    expect(parseCohortQuery({ ...range, interval: '', currency: ' ', periods: '', campaignId: '' }).query).toMatchObject({ interval: 'month', currency: 'EUR', periods: 12, campaignId: null });
  });

  it('takes 1 to 36 whole periods', () => {
    expect(parseCohortQuery({ ...range, periods: '1' }).query?.periods).toBe(1);
    for (const periods of ['0', '37', '-1', '2.5', '1e1', 'twelve', '1000'])
      expect({ periods, problems: parseCohortQuery({ ...range, periods }).problems }).toEqual({ periods, problems: [{ path: 'periods', message: 'must be a whole number from 1 to 36' }] });
  });

  it('names every bad parameter at once', () => {
    expect(paths({ from: '2026-02-30', interval: 'day', currency: 'eur', campaignId: '42', periods: '0', format: 'pdf' })).toEqual([
      'from', 'to', 'interval', 'currency', 'campaignId', 'periods', 'format',
    ]);
    expect(paths({ from: '2026-05-02', to: '2026-05-01' })).toEqual(['to']);
    expect(paths({ from: '2023-05-01', to: '2026-05-02' })).toEqual(['to']);
  });
});

describe('the cohorts from their statement\'s rows', () => {
  const query = { ...range, interval: 'month' as const, currency: 'JPY', campaignId: null, periods: 3, format: 'json' as const };
  const row = (cohort: string, customers: number, k: number, active: number, revenue: string, cumulative: string, ltv: string): CohortRow => ({
    cohort, customers, k, active, revenue_minor: revenue, cumulative_minor: cumulative, ltv_minor: ltv, unpriced: false,
  });

  it('groups the rows by cohort, with retention to 4 decimals and money in the reporting currency', () => {
    const report = assembleCohorts(query, [
      row('2026-01-01', 3, 0, 3, '900', '900', '300'),
      row('2026-01-01', 3, 1, 0, '0', '900', '300'),
      row('2026-01-01', 3, 2, 2, '101', '1001', '334'),
      row('2026-02-01', 1, 0, 1, '5', '5', '5'),
    ]);
    expect(report).toEqual({
      ...range,
      interval: 'month',
      currency: 'JPY',
      periods: 3,
      cohorts: [
        {
          cohort: '2026-01-01',
          customers: 3,
          periods: [
            { offset: 0, activeCustomers: 3, retention: 1, revenue: '900', cumulativeRevenue: '900', ltv: '300' },
            { offset: 1, activeCustomers: 0, retention: 0, revenue: '0', cumulativeRevenue: '900', ltv: '300' },
            { offset: 2, activeCustomers: 2, retention: 0.6667, revenue: '101', cumulativeRevenue: '1001', ltv: '334' },
          ],
        },
        { cohort: '2026-02-01', customers: 1, periods: [{ offset: 0, activeCustomers: 1, retention: 1, revenue: '5', cumulativeRevenue: '5', ltv: '5' }] },
      ],
    });
    expect(cohortReportCsv(report)).toBe(
      'cohort,customers,offset,activeCustomers,retention,revenue,cumulativeRevenue,ltv,currency\r\n' +
        '2026-01-01,3,0,3,1,900,900,300,JPY\r\n2026-01-01,3,1,0,0,0,900,300,JPY\r\n2026-01-01,3,2,2,0.6667,101,1001,334,JPY\r\n' +
        '2026-02-01,1,0,1,1,5,5,5,JPY\r\n',
    );
  });

  it('gives no cohorts when no one converted', () => {
    expect(assembleCohorts(query, []).cohorts).toEqual([]);
  });

  it('names the CSV file after the interval, the range and the currency', () => {
    expect(cohortCsvFileName(assembleCohorts(query, []))).toBe('cohorts-month-2026-01-01-2026-06-30-JPY.csv');
  });
});
