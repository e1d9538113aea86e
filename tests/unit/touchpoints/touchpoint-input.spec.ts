import { parseDateTime } from '../../../apps/api/src/touchpoints/input-reader';
import { capProblems } from '../../../apps/api/src/common/input-checks';
import { MAX_TOUCHPOINTS, parseIdentify, parseTouchpointBatch } from '../../../apps/api/src/touchpoints/touchpoint-input';

const NOW = new Date('2026-11-24T12:00:00Z');
const LEAD = '3f1c2b9e-8a4d-4c7e-9b2a-1d5e6f7a8b9c';
const item = (extra: Record<string, unknown> = {}) => ({ externalId: 'e-1', type: 'visit', occurredAt: '2026-11-20T10:00:00Z', visitorId: 'v-1', ...extra });
const paths = (body: unknown) => parseTouchpointBatch(body, NOW).problems.map((p) => p.path);

describe('parseTouchpointBatch', () => {
  it('normalises a full item: trimmed strings, lower-cased email, UTM term and content into properties', () => {
    const { items, problems } = parseTouchpointBatch(
      {
        touchpoints: [
          item({
            externalId: ' e-1 ',
            email: ' Ada@Example.COM ',
            campaignId: LEAD.toUpperCase(),
            utm: { source: 'google', medium: 'cpc', campaign: 'Spring', term: 'crm', content: 'ad-2' },
            url: 'https://example.com/a?b=c',
            properties: { page: 'pricing' },
          }),
        ],
      },
      NOW,
    );
    expect(problems).toEqual([]);
    expect(items[0]).toEqual({
      index: 0,
      externalId: 'e-1',
      type: 'visit',
      occurredAt: new Date('2026-11-20T10:00:00Z'),
      lead: { kind: 'email', path: 'touchpoints[0].email', email: 'ada@example.com' },
      visitorId: 'v-1',
      campaignId: LEAD,
      utm: { source: 'google', medium: 'cpc', campaign: 'Spring', term: 'crm', content: 'ad-2' },
      channel: null,
      url: 'https://example.com/a?b=c',
      properties: { page: 'pricing', utm_term: 'crm', utm_content: 'ad-2' },
    });
  });

  it('reads each kind of lead reference', () => {
    const { items } = parseTouchpointBatch(
      { touchpoints: [item({ leadId: LEAD, visitorId: undefined }), item({ externalLeadId: { source: 'salesforce', id: '00Q1' }, visitorId: undefined })] },
      NOW,
    );
    expect(items.map((i) => i.lead)).toEqual([
      { kind: 'id', path: 'touchpoints[0].leadId', id: LEAD },
      { kind: 'external', path: 'touchpoints[1].externalLeadId', source: 'salesforce', id: '00Q1' },
    ]);
  });

  it('lists every problem of every item with its path', () => {
    const problems = parseTouchpointBatch(
      {
        touchpoints: [
          item(),
          item({ occurredAt: '2026-11-26T12:00:01Z' }),
          { externalId: 'e-3', type: 'Visit!', occurredAt: 'yesterday' },
          item({ leadId: LEAD, email: 'a@b.co' }),
          item({ utm: { source: 5, other: 'x' }, url: 'ftp://x', properties: [1], colour: 'red' }),
          'not an object',
          item({ externalId: 'x'.repeat(201), channel: 'Paid Search', campaignId: 'nope' }),
        ],
      },
      NOW,
    ).problems;
    expect(problems).toEqual([
      { path: 'touchpoints[1].occurredAt', message: 'must not be more than 1 day in the future' },
      { path: 'touchpoints[2].type', message: expect.stringContaining('lower-case word') },
      { path: 'touchpoints[2].occurredAt', message: expect.stringContaining('ISO 8601') },
      { path: 'touchpoints[2]', message: 'needs a lead (leadId, email or externalLeadId) or a visitorId' },
      { path: 'touchpoints[3].email', message: expect.stringContaining('give only one of leadId, email or externalLeadId') },
      { path: 'touchpoints[4].utm.source', message: 'must be a string' },
      { path: 'touchpoints[4].utm.other', message: 'is not a known field' },
      { path: 'touchpoints[4].url', message: 'must be an absolute http or https URL' },
      { path: 'touchpoints[4].properties', message: 'must be an object' },
      { path: 'touchpoints[4].colour', message: 'is not a known field' },
      { path: 'touchpoints[5]', message: 'must be an object' },
      { path: 'touchpoints[6].externalId', message: 'must be 1 to 200 characters' },
      { path: 'touchpoints[6].campaignId', message: 'must be a UUID' },
      { path: 'touchpoints[6].channel', message: expect.stringContaining('lower-case word') },
    ]);
  });

  it('accepts a day ahead of now for clock skew, late touchpoints of any age, and no more', () => {
    expect(paths({ touchpoints: [item({ occurredAt: '2026-11-25T12:00:00Z' })] })).toEqual([]);
    expect(paths({ touchpoints: [item({ occurredAt: '2019-01-01T00:00:00.123456+05:30' })] })).toEqual([]);
    expect(paths({ touchpoints: [item({ occurredAt: '2026-11-25T12:00:00.001Z' })] })).toEqual(['touchpoints[0].occurredAt']);
  });

  it('refuses properties larger than 16 KB', () => {
    expect(paths({ touchpoints: [item({ properties: { blob: 'x'.repeat(16 * 1024) } })] })).toEqual(['touchpoints[0].properties']);
  });

  it('names touchpoints when the list is missing, empty or too long, without reading the items', () => {
    expect(paths(null)).toEqual(['touchpoints']);
    expect(paths({})).toEqual(['touchpoints']);
    expect(paths({ touchpoints: {} })).toEqual(['touchpoints']);
    expect(paths({ touchpoints: [] })).toEqual(['touchpoints']);
    const tooMany = parseTouchpointBatch({ touchpoints: Array.from({ length: MAX_TOUCHPOINTS + 1 }, () => ({})) }, NOW).problems;
    expect(tooMany).toEqual([{ path: 'touchpoints', message: expect.stringContaining('at most 10000') }]);
    expect(paths({ touchpoints: [item()], extra: 1 })).toEqual(['extra']);
  });
});

describe('parseDateTime', () => {
  it('takes ISO 8601 date-times with a zone and real calendar dates only', () => {
    expect(parseDateTime('2026-11-24T10:00:00Z')).toEqual(new Date('2026-11-24T10:00:00Z'));
    expect(parseDateTime('2026-11-24T10:00:00+01:00')).toEqual(new Date('2026-11-24T09:00:00Z'));
    expect(parseDateTime('2026-11-24T10:00:00')).toBeNull();
    expect(parseDateTime('2026-02-30T10:00:00Z')).toBeNull();
    expect(parseDateTime('2026-11-24T24:00:00Z')).toBeNull();
    expect(parseDateTime('2026-11-24')).toBeNull();
  });
});

describe('parseIdentify', () => {
  it('needs a visitor and exactly one lead reference', () => {
    expect(parseIdentify({ visitorId: 'v', email: 'A@b.co' }).input).toEqual({ visitorId: 'v', lead: { kind: 'email', path: 'email', email: 'a@b.co' } });
    expect(parseIdentify({ email: 'a@b.co' }).problems.map((p) => p.path)).toEqual(['visitorId']);
    expect(parseIdentify({ visitorId: 'v' }).problems.map((p) => p.path)).toEqual(['leadId']);
    expect(parseIdentify({ visitorId: 'v', leadId: LEAD, email: 'a@b.co' }).problems.map((p) => p.path)).toEqual(['email']);
  });
});

describe('capProblems', () => {
  it('lists the first thousand problems and counts the rest', () => {
    const many = Array.from({ length: 1_005 }, (_, i) => ({ path: `touchpoints[${i}].type`, message: 'is required' }));
    const capped = capProblems(many, 'touchpoints');
    expect(capped).toHaveLength(1_001);
    expect(capped[1_000]).toEqual({ path: 'touchpoints', message: 'and 5 more problems not listed here' });
  });
});
