import { parseCampaignReportQuery } from '../../../apps/api/src/campaigns/campaign-report.service';
import { participationFigures, ReportSums, ZERO_SUMS } from '../../../apps/api/src/reports/roi-math';

const sums = (extra: Partial<ReportSums>): ReportSums => ({ ...ZERO_SUMS, ...extra });

describe('participationFigures', () => {
  it('gives the counts as numbers, with engagement rate, conversion rate and cost per lead', () => {
    const figures = participationFigures(
      sums({ enrolled: '120', delivered: '118', opened: '40', clicked: '12', engaged: '44', reached: '60', newLeads: '9', conversions: '1.5000', costMinor: '8050' }),
      'EUR',
    );
    expect(figures).toEqual({
      enrolled: 120,
      delivered: 118,
      opened: 40,
      clicked: 12,
      engaged: 44,
      engagementRate: 0.3729, // 44 / 118 = 0.37288…
      reached: 60,
      leads: 9,
      conversionRate: 0.025, // 1.5 / 60
      costPerLead: '8.94', // 80.50 / 9 = 8.944…
    });
  });

  it('gives null rates and cost per lead, never Infinity or NaN, when their denominators are 0', () => {
    expect(participationFigures(sums({ engaged: '3', conversions: '2', costMinor: '1000' }), 'EUR')).toMatchObject({
      engagementRate: null,
      conversionRate: null,
      costPerLead: null,
    });
  });

  it('rounds rates to 4 decimals and cost per lead to the minor unit, halves away from zero', () => {
    // 1 / 3 = 0.3333…; 0.5 / 3 = 0.16666…; 1000 yen / 3 = 333.33… → 333; 0.05 EUR / 10 = 0.005 → 0.01.
    expect(participationFigures(sums({ delivered: '3', engaged: '1', reached: '3', conversions: '0.5', newLeads: '3', costMinor: '1000' }), 'JPY')).toMatchObject({
      engagementRate: 0.3333,
      conversionRate: 0.1667,
      costPerLead: '333',
    });
    expect(participationFigures(sums({ newLeads: '10', costMinor: '5' }), 'EUR').costPerLead).toBe('0.01');
  });

  it('lets the conversion rate pass 1 when conversions outnumber the leads reached', () => {
    expect(participationFigures(sums({ reached: '2', conversions: '3' }), 'EUR').conversionRate).toBe(1.5);
  });
});

describe('parseCampaignReportQuery', () => {
  it('defaults to last_touch over all time', () => {
    expect(parseCampaignReportQuery({})).toEqual({ query: { from: null, to: null, model: 'last_touch' }, problems: [] });
    expect(parseCampaignReportQuery({ model: ' ', from: '' }).query).toEqual({ from: null, to: null, model: 'last_touch' });
  });

  it('takes a model and either bound alone', () => {
    expect(parseCampaignReportQuery({ model: 'linear', from: '2026-05-01' }).query).toEqual({ from: '2026-05-01', to: null, model: 'linear' });
    expect(parseCampaignReportQuery({ to: '2026-05-31' }).query).toEqual({ from: null, to: '2026-05-31', model: 'last_touch' });
  });

  it('names model, from and to when they are bad, all at once', () => {
    const { query, problems } = parseCampaignReportQuery({ model: 'u_shaped', from: '2026-02-30', to: 'soon' });
    expect(query).toBeNull();
    expect(problems.map((p) => p.path)).toEqual(['model', 'from', 'to']);
    expect(problems[0].message).toContain('w_shaped');
    expect(parseCampaignReportQuery({ from: '2026-05-02', to: '2026-05-01' }).problems).toEqual([{ path: 'to', message: 'must be on or after from' }]);
  });
});
