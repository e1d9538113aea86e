import { NO_CAMPAIGN } from '@ce/db';
import { UnprocessableError } from '@ce/errors';
import { roiReportCsv } from '../../../apps/api/src/reports/roi-csv';
import { periodsOf, periodSql, periodStart } from '../../../apps/api/src/reports/roi-periods';
import { parseRoiQuery, RoiQuery } from '../../../apps/api/src/reports/roi-query';
import { MAX_REPORT_ROWS } from '../../../apps/api/src/reports/roi-report.errors';
import { assemble, ReportRow } from '../../../apps/api/src/reports/roi-report.service';
import { roiReportSql } from '../../../apps/api/src/reports/roi-report.sql';

const range = { from: '2026-05-01', to: '2026-05-31' };
const paths = (raw: Record<string, unknown>) => parseRoiQuery(raw).problems.map((p) => p.path);

describe('parseRoiQuery: time series and groupBy=none', () => {
  it('has no interval unless one is asked for', () => {
    expect(parseRoiQuery(range).query).not.toHaveProperty('interval');
    expect(parseRoiQuery({ ...range, interval: '' }).query).not.toHaveProperty('interval');
  });

  it('reads every interval and groupBy=none', () => {
    for (const interval of ['day', 'week', 'month']) expect(parseRoiQuery({ ...range, interval }).query?.interval).toBe(interval);
    expect(parseRoiQuery({ ...range, groupBy: 'none', interval: 'week', models: 'linear' }).query).toMatchObject({ groupBy: 'none', interval: 'week', models: ['linear'] });
  });

  it('names interval when it is not one of day, week or month', () => {
    for (const interval of ['year', 'Week', 'weekly', '7d']) expect(paths({ ...range, interval })).toEqual(['interval']);
    expect(parseRoiQuery({ ...range, interval: 'year' }).problems[0].message).toContain('day | week | month');
    expect(paths({ from: 'x', to: '2026-05-31', groupBy: 'nothing', interval: 'hour' })).toEqual(['from', 'groupBy', 'interval']);
  });

  it('allows a daily series over the longest range (3 years)', () => {
    expect(paths({ from: '2023-05-01', to: '2026-05-01', interval: 'day' })).toEqual([]);
    expect(periodsOf('2023-05-01', '2026-05-01', 'day')).toHaveLength(1097);
  });
});

describe('periods', () => {
  it('names a period by its first day: the day, the Monday of its week, the first of its month', () => {
    // 2026-05-01 is a Friday.
    expect(periodStart('2026-05-01', 'day')).toBe('2026-05-01');
    expect(periodStart('2026-05-01', 'week')).toBe('2026-04-27');
    expect(periodStart('2026-05-03', 'week')).toBe('2026-04-27'); // a Sunday ends the week
    expect(periodStart('2026-05-04', 'week')).toBe('2026-05-04'); // a Monday starts one
    expect(periodStart('2026-05-31', 'month')).toBe('2026-05-01');
    expect(periodStart('2027-01-01', 'week')).toBe('2026-12-28'); // across a year
  });

  it('lists every period with a day in the range, the first and last clipped but named by their first day', () => {
    expect(periodsOf('2026-05-01', '2026-05-31', 'week')).toEqual(['2026-04-27', '2026-05-04', '2026-05-11', '2026-05-18', '2026-05-25']);
    expect(periodsOf('2026-05-01', '2026-05-03', 'day')).toEqual(['2026-05-01', '2026-05-02', '2026-05-03']);
    expect(periodsOf('2024-01-31', '2024-03-01', 'month')).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
    expect(periodsOf('2026-05-07', '2026-05-07', 'week')).toEqual(['2026-05-04']);
  });

  it('computes the same periods in SQL, as text, without the session time zone', () => {
    expect(periodSql('day', 'day')).toBe(`to_char(day, 'YYYY-MM-DD')`);
    expect(periodSql('f.day', 'week')).toBe(`to_char(date_trunc('week', f.day::timestamp)::date, 'YYYY-MM-DD')`);
  });

  it('reads only roll-ups and costs, keyed by the range first, grouped per period with totals over the range', () => {
    const sql = roiReportSql('none', 'week');
    const tables = (text: string) => [...text.matchAll(/\b(?:from|join)\s+([a-z_]+)/g)].map((m) => m[1]);
    expect(tables(sql)).toEqual(expect.arrayContaining(['attribution_channel_rollups', 'participation_rollups', 'costs', 'currency_rates']));
    // By campaign, money comes from the roll-up that keeps the campaign.
    expect(tables(roiReportSql('campaign'))).toContain('attribution_rollups');
    for (const raw of ['attribution_credits', 'touchpoints', 'messages', 'enrollments', 'conversions']) expect(tables(sql)).not.toContain(raw);
    expect(sql).toContain('from participation_rollups p\n   where p.day between $1::date and $2::date');
    expect(sql).toContain('grouping sets ((period, model), (model))');
    expect(roiReportSql('none')).toContain('group by model');
    expect(roiReportSql('campaign,channel', 'month')).toContain('grouping sets ((period, campaign_key, channel, model), (model))');
  });
});

describe('assemble: time series and groupBy=none', () => {
  const query = (extra: Partial<RoiQuery>): RoiQuery => ({ ...range, models: ['last_touch', 'linear'], groupBy: 'none', currency: 'EUR', format: 'json', ...extra });
  const counts = { enrolled: '0', delivered: '0', opened: '0', clicked: '0', engaged: '0', reached: '0', new_leads: '0' };
  const row = (extra: Partial<ReportRow>): ReportRow => ({ model: 'last_touch', total: false, conversions: '0', revenue_minor: '0', cost_minor: '0', ...counts, unpriced: false, ...extra });

  it('gives a full grid of periods × models with zeros, participation on every model, and totals over the range', () => {
    const report = assemble(query({ interval: 'week' }), [
      row({ period: '2026-05-04', model: 'last_touch', conversions: '1.0000', revenue_minor: '10000', cost_minor: '2000', delivered: '4', engaged: '1', reached: '2', new_leads: '1' }),
      row({ period: '2026-05-04', model: 'linear', conversions: '0.5000', revenue_minor: '5000', cost_minor: '2000', delivered: '4', engaged: '1', reached: '2', new_leads: '1' }),
      row({ model: 'last_touch', total: true, conversions: '1.0000', revenue_minor: '10000', cost_minor: '2000', delivered: '4', engaged: '1', reached: '2', new_leads: '1' }),
      row({ model: 'linear', total: true, conversions: '0.5000', revenue_minor: '5000', cost_minor: '2000', delivered: '4', engaged: '1', reached: '2', new_leads: '1' }),
    ]);
    expect(report.interval).toBe('week');
    expect(report.rows.map((r) => `${r.period}/${r.model}/${r.conversions}/${r.delivered}`)).toEqual([
      '2026-04-27/last_touch/0/0',
      '2026-04-27/linear/0/0',
      '2026-05-04/last_touch/1/4',
      '2026-05-04/linear/0.5/4',
      '2026-05-11/last_touch/0/0',
      '2026-05-11/linear/0/0',
      '2026-05-18/last_touch/0/0',
      '2026-05-18/linear/0/0',
      '2026-05-25/last_touch/0/0',
      '2026-05-25/linear/0/0',
    ]);
    expect(Object.keys(report.rows[0]).slice(0, 3)).toEqual(['period', 'model', 'currency']);
    expect(report.rows[2]).toMatchObject({ engagementRate: 0.25, conversionRate: 0.5, costPerLead: '20.00', leads: 1 });
    expect(report.rows[3]).toMatchObject({ engagementRate: 0.25, conversionRate: 0.25, costPerLead: '20.00', leads: 1 });
    expect(report.rows[0]).toMatchObject({ engagementRate: null, conversionRate: null, costPerLead: null, roi: null });
    expect(report.totals.map((t) => [t.model, t.revenue, t.delivered, t.leads])).toEqual([
      ['last_touch', '100.00', 4, 1],
      ['linear', '50.00', 4, 1],
    ]);
  });

  it('gives the full grid even when nothing happened in the range', () => {
    const report = assemble(query({ interval: 'month', models: ['linear'] }), []);
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({ period: '2026-05-01', model: 'linear', conversions: 0, delivered: 0, engagementRate: null });
  });

  it('without an interval, gives one row per model: its total', () => {
    const report = assemble(query({}), [row({ model: 'linear', total: true, conversions: '2', reached: '4' })]);
    expect(report.interval).toBeNull();
    expect(report.rows).toEqual(report.totals);
    expect(report.rows.map((r) => [r.model, r.conversions, r.conversionRate])).toEqual([
      ['last_touch', 0, null],
      ['linear', 2, 0.5],
    ]);
  });

  it('puts campaigns under each period, "no campaign" last', () => {
    const c = '11111111-1111-4111-8111-111111111111';
    const report = assemble(query({ groupBy: 'campaign', models: ['linear'], interval: 'day', to: '2026-05-02' }), [
      row({ period: '2026-05-02', campaign_key: NO_CAMPAIGN, model: 'linear', reached: '3' }),
      row({ period: '2026-05-01', campaign_key: c, campaign_name: 'Spring', model: 'linear', enrolled: '5' }),
    ]);
    expect(report.rows.map((r) => `${r.period}/${r.campaignName}/${r.enrolled}/${r.reached}`)).toEqual([
      '2026-05-01/Spring/5/0',
      '2026-05-01/(no campaign)/0/0',
      '2026-05-02/Spring/0/0',
      '2026-05-02/(no campaign)/0/3',
    ]);
  });

  it(`refuses with a 422 naming interval a series of more than ${MAX_REPORT_ROWS} rows`, () => {
    // 1,097 days × 46 campaigns × 1 model = 50,462 rows.
    const rows = Array.from({ length: 46 }, (_, i) => row({ period: '2024-01-01', campaign_key: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, model: 'linear' }));
    const big = query({ from: '2023-05-01', to: '2026-05-01', interval: 'day', groupBy: 'campaign', models: ['linear'] });
    let thrown: unknown;
    try {
      assemble(big, rows);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnprocessableError);
    expect(thrown).toMatchObject({ code: 'REPORT_TOO_LARGE', errors: [{ path: 'interval', message: expect.stringContaining('50462 rows') }] });
    // By week the same data is 157 × 46 rows.
    expect(assemble({ ...big, interval: 'week' }, rows).rows).toHaveLength(157 * 46);
  });
});

describe('roiReportCsv with a time series', () => {
  it('puts period first, and leaves it empty on the totals', () => {
    const report = assemble({ from: '2026-05-01', to: '2026-05-02', models: ['linear'], groupBy: 'channel', interval: 'day', currency: 'EUR', format: 'csv' }, [
      { model: 'linear', total: false, period: '2026-05-02', channel: 'email', conversions: '1', revenue_minor: '500', cost_minor: '100', enrolled: '2', delivered: '2', opened: '1', clicked: '0', engaged: '1', reached: '1', new_leads: '1', unpriced: false },
      { model: 'linear', total: true, conversions: '1', revenue_minor: '500', cost_minor: '100', enrolled: '2', delivered: '2', opened: '1', clicked: '0', engaged: '1', reached: '1', new_leads: '1', unpriced: false },
    ]);
    expect(roiReportCsv(report).split('\r\n')).toEqual([
      'period,channel,model,currency,conversions,revenue,cost,roi,roas,costPerAcquisition,enrolled,delivered,opened,clicked,engaged,engagementRate,reached,leads,conversionRate,costPerLead',
      '2026-05-01,email,linear,EUR,0,0.00,0.00,,,,0,0,0,0,0,,0,0,,',
      '2026-05-02,email,linear,EUR,1,5.00,1.00,4,5,1.00,2,2,1,0,1,0.5,1,1,1,1.00',
      ',,linear,EUR,1,5.00,1.00,4,5,1.00,2,2,1,0,1,0.5,1,1,1,1.00',
      '',
    ]);
  });
});
