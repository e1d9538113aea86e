import { NO_CAMPAIGN } from '@ce/db';
import { assemble, ReportRow } from '../../../apps/api/src/reports/roi-report.service';
import type { RoiQuery } from '../../../apps/api/src/reports/roi-query';

const query = (extra: Partial<RoiQuery> = {}): RoiQuery => ({
  from: '2003-02-01',
  to: '2003-02-28',
  models: ['last_touch', 'linear'],
  groupBy: 'campaign',
  currency: 'EUR',
  format: 'json',
  ...extra,
});
const counts = { enrolled: '0', delivered: '0', opened: '0', clicked: '0', engaged: '0', reached: '0', new_leads: '0' };
const row = (extra: Partial<ReportRow>): ReportRow => ({ model: 'last_touch', total: false, conversions: '0', revenue_minor: '0', cost_minor: '0', ...counts, unpriced: false, ...extra });
// Participation of a group where nobody took part.
const nobody = { enrolled: 0, delivered: 0, opened: 0, clicked: 0, engaged: 0, engagementRate: null, reached: 0, leads: 0, conversionRate: null, costPerLead: null };

describe('assemble', () => {
  it('names "no campaign", fills the grid, sorts, and gives a total per model in the order asked', () => {
    const campaign = '11111111-1111-4111-8111-111111111111';
    const report = assemble(query(), [
      row({ campaign_key: NO_CAMPAIGN, model: 'linear', conversions: '0.5000', revenue_minor: '5698' }),
      row({ campaign_key: campaign, campaign_name: 'Spring', model: 'linear', conversions: '1.5000', revenue_minor: '35697', cost_minor: '8050' }),
      row({ campaign_key: campaign, campaign_name: 'Spring', model: 'last_touch', conversions: '2.0000', revenue_minor: '41396', cost_minor: '8050' }),
      row({ model: 'linear', total: true, conversions: '2.0000', revenue_minor: '41396', cost_minor: '8050' }),
    ]);
    expect(report.rows.map((r) => [r.campaignId, r.campaignName, r.model, r.conversions, r.revenue, r.roi])).toEqual([
      [campaign, 'Spring', 'last_touch', 2, '413.96', 4.1424],
      [campaign, 'Spring', 'linear', 1.5, '356.97', 3.4344],
      [null, '(no campaign)', 'last_touch', 0, '0.00', null],
      [null, '(no campaign)', 'linear', 0.5, '56.98', null],
    ]);
    expect(report.rows[0]).not.toHaveProperty('channel');
    // A model with no total row (nothing in the range) gets a total of zeros.
    expect(report.totals).toEqual([
      { model: 'last_touch', currency: 'EUR', conversions: 0, revenue: '0.00', cost: '0.00', roi: null, roas: null, costPerAcquisition: null, ...nobody },
      { model: 'linear', currency: 'EUR', conversions: 2, revenue: '413.96', cost: '80.50', roi: 4.1424, roas: 5.1424, costPerAcquisition: '40.25', ...nobody },
    ]);
  });

  it('gives channel rows only a channel', () => {
    const report = assemble(query({ groupBy: 'channel', models: ['linear'] }), [row({ channel: 'email', model: 'linear', conversions: '1' })]);
    expect(report.rows).toEqual([
      { channel: 'email', model: 'linear', currency: 'EUR', conversions: 1, revenue: '0.00', cost: '0.00', roi: null, roas: null, costPerAcquisition: '0.00', ...nobody },
    ]);
  });
});
