import { csvField, toCsv } from '../../../apps/api/src/reports/csv';
import type { RoiReportDto } from '../../../apps/api/src/reports/dto/roi-report.dto';
import { groupColumns, roiCsvFileName, roiReportCsv } from '../../../apps/api/src/reports/roi-csv';

describe('csvField (RFC 4180)', () => {
  it('leaves plain text and numbers as they are and writes null as an empty field', () => {
    expect(csvField('email')).toBe('email');
    expect(csvField(' spaced ')).toBe(' spaced ');
    expect(csvField(1.5711)).toBe('1.5711');
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
  });

  it('quotes fields with commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvField('Spring, summer')).toBe('"Spring, summer"');
    expect(csvField('The "big" one')).toBe('"The ""big"" one"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
  });

  it('ends every line, the last one too, with CRLF', () => {
    expect(toCsv(['a', 'b'], [['1', null], ['x,y', 2]])).toBe('a,b\r\n1,\r\n"x,y",2\r\n');
  });
});

describe('roiReportCsv', () => {
  const participation = { enrolled: 3, delivered: 2, opened: 1, clicked: 1, engaged: 1, engagementRate: 0.5, reached: 2, leads: 1, conversionRate: 0.75, costPerLead: '80.50' };
  const figures = { currency: 'EUR', conversions: 1.5, revenue: '206.97', cost: '80.50', roi: 1.5711, roas: 2.5711, costPerAcquisition: '53.67', ...participation };
  const report = (groupBy: string, rows: RoiReportDto['rows']): RoiReportDto => ({
    from: '2003-02-01',
    to: '2003-02-28',
    currency: 'EUR',
    groupBy,
    interval: null,
    models: ['last_touch'],
    rows,
    totals: [{ model: 'last_touch', ...figures, roi: null, roas: null, costPerAcquisition: null }],
  });

  it('has the group columns of the grouping, then the figures', () => {
    expect(groupColumns('campaign')).toEqual(['campaignId', 'campaignName']);
    expect(groupColumns('channel')).toEqual(['channel']);
    expect(groupColumns('campaign,channel')).toEqual(['campaignId', 'campaignName', 'channel']);
  });

  it('writes one line per row with the JSON fields, then the totals with empty group columns', () => {
    const csv = roiReportCsv(
      report('campaign,channel', [
        { campaignId: 'c1', campaignName: 'Spring, "new"', channel: 'email', model: 'last_touch', ...figures },
        { campaignId: null, campaignName: '(no campaign)', channel: 'direct', model: 'last_touch', ...figures, roi: null, roas: null },
      ]),
    );
    expect(csv.split('\r\n')).toEqual([
      'campaignId,campaignName,channel,model,currency,conversions,revenue,cost,roi,roas,costPerAcquisition,enrolled,delivered,opened,clicked,engaged,engagementRate,reached,leads,conversionRate,costPerLead',
      'c1,"Spring, ""new""",email,last_touch,EUR,1.5,206.97,80.50,1.5711,2.5711,53.67,3,2,1,1,1,0.5,2,1,0.75,80.50',
      ',(no campaign),direct,last_touch,EUR,1.5,206.97,80.50,,,53.67,3,2,1,1,1,0.5,2,1,0.75,80.50',
      ',,,last_touch,EUR,1.5,206.97,80.50,,,,3,2,1,1,1,0.5,2,1,0.75,80.50',
      '',
    ]);
  });

  it('names the file after the grouping, the interval, the range and the currency', () => {
    expect(roiCsvFileName(report('campaign,channel', []))).toBe('roi-campaign-channel-2003-02-01-2003-02-28-EUR.csv');
    expect(roiCsvFileName({ ...report('none', []), interval: 'week' })).toBe('roi-none-by-week-2003-02-01-2003-02-28-EUR.csv');
  });

  it('writes the header and totals even when there are no rows', () => {
    expect(roiReportCsv(report('channel', []))).toBe(
      'channel,model,currency,conversions,revenue,cost,roi,roas,costPerAcquisition,enrolled,delivered,opened,clicked,engaged,engagementRate,reached,leads,conversionRate,costPerLead\r\n' +
        ',last_touch,EUR,1.5,206.97,80.50,,,,3,2,1,1,1,0.5,2,1,0.75,80.50\r\n',
    );
  });
});
