import { parseFunnelQuery } from '../../../apps/api/src/reports/funnel-query';
import { assembleFunnel, FUNNEL_STAGES, FunnelRow } from '../../../apps/api/src/reports/funnel-report.service';
import { funnelCsvFileName, funnelReportCsv } from '../../../apps/api/src/reports/funnel-csv';

const paths = (raw: Record<string, unknown>) => parseFunnelQuery(raw).problems.map((p) => p.path);
const range = { from: '2026-05-01', to: '2026-05-31' };
const CAMPAIGN = '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21';

describe('parseFunnelQuery', () => {
  it('takes every lead created in the range, as JSON, by default', () => {
    expect(parseFunnelQuery(range)).toEqual({ query: { ...range, campaignId: null, format: 'json' }, problems: [] });
  });

  it('reads a campaign id (lower-cased) and csv, and treats empty parameters as absent', () => {
    expect(parseFunnelQuery({ ...range, campaignId: ` ${CAMPAIGN.toUpperCase()} `, format: 'csv' }).query).toEqual({ ...range, campaignId: CAMPAIGN, format: 'csv' });
    expect(parseFunnelQuery({ ...range, campaignId: '', format: ' ' }).query).toEqual({ ...range, campaignId: null, format: 'json' });
  });

  it('requires from and to as real calendar days, under the ROI report\'s range rules', () => {
    expect(paths({})).toEqual(['from', 'to']);
    expect(paths({ from: '2026-02-29', to: '2026-03-01' })).toEqual(['from']);
    expect(paths({ from: '2026-05-01', to: '31.05.2026' })).toEqual(['to']);
    expect(paths({ from: '2026-05-02', to: '2026-05-01' })).toEqual(['to']);
    expect(paths({ from: '2023-05-01', to: '2026-05-01' })).toEqual([]);
    expect(parseFunnelQuery({ from: '2023-05-01', to: '2026-05-02' }).problems).toEqual([
      { path: 'to', message: 'must be at most 3 years after from (2026-05-01 at the latest)' },
    ]);
  });

  it('names every bad parameter at once', () => {
    const { query, problems } = parseFunnelQuery({ from: '2026-13-01', to: 'x', campaignId: 'campaign-1', format: 'xlsx' });
    expect(query).toBeNull();
    expect(problems).toEqual([
      { path: 'from', message: 'must be a real calendar day as YYYY-MM-DD' },
      { path: 'to', message: 'must be a real calendar day as YYYY-MM-DD' },
      { path: 'campaignId', message: 'must be a campaign id (UUID)' },
      { path: 'format', message: 'must be one of json | csv' },
    ]);
  });
});

describe('the funnel from its statement\'s rows', () => {
  const query = { ...range, campaignId: null, format: 'json' as const };
  const row = (stage: string, reached: number, still_in: number, median_days: string | null): FunnelRow => ({ stage, reached, still_in, median_days, leads: 10, disqualified: 1 });

  it('gives each stage its rate to the next (4 decimals; null after customer and from 0) and its median', () => {
    const rows = [
      row('subscriber', 10, 3, '2.50'),
      row('lead', 6, 1, '10.25'),
      row('mql', 3, 3, null),
      row('sql', 0, 0, null),
      row('opportunity', 0, 0, null),
      row('customer', 0, 2, null),
    ];
    expect(assembleFunnel(query, rows)).toEqual({
      ...range,
      campaignId: null,
      leads: 10,
      disqualified: 1,
      stages: [
        { stage: 'subscriber', reached: 10, stillIn: 3, toNextRate: 0.6, medianDaysInStage: 2.5 },
        { stage: 'lead', reached: 6, stillIn: 1, toNextRate: 0.5, medianDaysInStage: 10.25 },
        { stage: 'mql', reached: 3, stillIn: 3, toNextRate: 0, medianDaysInStage: null },
        { stage: 'sql', reached: 0, stillIn: 0, toNextRate: null, medianDaysInStage: null },
        { stage: 'opportunity', reached: 0, stillIn: 0, toNextRate: null, medianDaysInStage: null },
        { stage: 'customer', reached: 0, stillIn: 2, toNextRate: null, medianDaysInStage: null },
      ],
    });
  });

  it('rounds rates halves away from zero', () => {
    const rows = [row('subscriber', 3, 0, null), row('lead', 2, 0, null), row('mql', 0, 0, null)];
    expect(assembleFunnel(query, rows).stages.map((s) => s.toNextRate)).toEqual([0.6667, 0, null]);
  });

  it('orders the funnel from subscriber to customer, without disqualified', () => {
    expect(FUNNEL_STAGES).toEqual(['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer']);
  });

  it('writes one CSV line per stage, then the disqualified leads', () => {
    const report = assembleFunnel(query, [row('subscriber', 10, 9, '1.00'), row('lead', 0, 0, null)]);
    expect(funnelReportCsv(report)).toBe(
      'stage,reached,stillIn,toNextRate,medianDaysInStage\r\nsubscriber,10,9,0,1\r\nlead,0,0,,\r\ndisqualified,,1,,\r\n',
    );
  });

  it('names the CSV file after the range, and the campaign when there is one', () => {
    expect(funnelCsvFileName(assembleFunnel(query, []))).toBe('funnel-2026-05-01-2026-05-31.csv');
    expect(funnelCsvFileName(assembleFunnel({ ...query, campaignId: CAMPAIGN }, []))).toBe(`funnel-2026-05-01-2026-05-31-${CAMPAIGN}.csv`);
  });
});

describe('the day range near year 9999', () => {
  it('takes ranges that end on the last day there is', () => {
    expect(paths({ from: '9997-01-01', to: '9999-12-31' })).toEqual([]);
    expect(paths({ from: '9999-12-31', to: '9999-12-31' })).toEqual([]);
    expect(paths({ from: '9996-01-01', to: '9999-01-02' })).toEqual(['to']);
  });
});
