import { parseTouchpointBatch } from '../../../apps/api/src/touchpoints/touchpoint-input';
import { planBatch } from '../../../apps/api/src/touchpoints/touchpoint-plan';

const NOW = new Date('2026-11-24T12:00:00Z');
const LEAD = '3f1c2b9e-8a4d-4c7e-9b2a-1d5e6f7a8b9c';
const OTHER_LEAD = '4f1c2b9e-8a4d-4c7e-9b2a-1d5e6f7a8b9c';
const CAMPAIGN = '5f1c2b9e-8a4d-4c7e-9b2a-1d5e6f7a8b9c';

function plan(touchpoints: Record<string, unknown>[]) {
  const { items, problems } = parseTouchpointBatch({ touchpoints }, NOW);
  expect(problems).toEqual([]);
  return planBatch(items, {
    leads: new Map([[`email:ada@example.com`, LEAD], [`id:${OTHER_LEAD}`, OTHER_LEAD]]),
    campaignIds: new Set([CAMPAIGN]),
    campaignsByUtm: new Map([['Spring Launch', CAMPAIGN]]),
  });
}

describe('planBatch', () => {
  it('resolves leads and campaigns and decides channels', () => {
    const { rows, problems } = plan([
      { externalId: 'a', type: 'visit', occurredAt: '2026-11-20T10:00:00Z', email: 'ada@example.com', utm: { source: 'google', medium: 'cpc', campaign: 'Spring Launch' } },
      { externalId: 'b', type: 'ad_click', occurredAt: '2026-11-20T10:00:00Z', leadId: OTHER_LEAD, channel: 'paid_social', campaignId: CAMPAIGN },
      { externalId: 'c', type: 'webinar', occurredAt: '2026-11-20T10:00:00Z', visitorId: 'v-1', utm: { campaign: 'unknown one' } },
    ]);
    expect(problems).toEqual([]);
    expect(rows.map(({ row }) => [row.externalId, row.leadId, row.campaignId, row.channel, row.utmCampaign])).toEqual([
      ['a', LEAD, CAMPAIGN, 'paid_search', 'Spring Launch'],
      ['b', OTHER_LEAD, CAMPAIGN, 'paid_social', null],
      ['c', null, null, 'webinar', 'unknown one'],
    ]);
  });

  it('keeps an item whose lead is unknown under its visitor, and refuses one without a visitor', () => {
    const { rows, problems } = plan([
      { externalId: 'a', type: 'visit', occurredAt: '2026-11-20T10:00:00Z', email: 'nobody@example.com', visitorId: 'v-1' },
      { externalId: 'b', type: 'visit', occurredAt: '2026-11-20T10:00:00Z', externalLeadId: { source: 'crm', id: '42' } },
      { externalId: 'c', type: 'visit', occurredAt: '2026-11-20T10:00:00Z', visitorId: 'v-2', campaignId: LEAD },
    ]);
    expect(rows.map((r) => [r.index, r.row.leadId, r.unmatched])).toEqual([[0, null, 'email matches no lead; kept under the visitorId']]);
    expect(problems).toEqual([
      { path: 'touchpoints[1].externalLeadId', message: expect.stringContaining('matches no lead') },
      { path: 'touchpoints[2].campaignId', message: 'matches no campaign' },
    ]);
  });

  it('takes an external id once per request and reports the repeats as duplicates', () => {
    const { rows, duplicates } = plan([
      { externalId: 'a', type: 'visit', occurredAt: '2026-11-20T10:00:00Z', visitorId: 'v-1' },
      { externalId: 'a', type: 'visit', occurredAt: '2026-11-21T10:00:00Z', visitorId: 'v-1' },
    ]);
    expect(rows.map((r) => r.index)).toEqual([0]);
    expect(duplicates).toEqual([1]);
  });

  it('identifies each visitor as the lead of its latest touchpoint in the request', () => {
    const { visitors } = plan([
      { externalId: 'a', type: 'visit', occurredAt: '2026-11-22T10:00:00Z', email: 'ada@example.com', visitorId: 'v-1' },
      { externalId: 'b', type: 'visit', occurredAt: '2026-11-20T10:00:00Z', leadId: OTHER_LEAD, visitorId: 'v-1' },
      { externalId: 'c', type: 'visit', occurredAt: '2026-11-20T10:00:00Z', leadId: OTHER_LEAD, visitorId: 'v-2' },
      { externalId: 'd', type: 'visit', occurredAt: '2026-11-20T10:00:00Z', visitorId: 'v-3' },
    ]);
    expect([...visitors]).toEqual([['v-1', LEAD], ['v-2', OTHER_LEAD]]);
  });
});
