import { ATTRIBUTION_MODELS } from '@ce/attribution';
import { addYears } from '../../../apps/api/src/reports/report-query';
import { parseRoiQuery } from '../../../apps/api/src/reports/roi-query';

const paths = (raw: Record<string, unknown>) => parseRoiQuery(raw).problems.map((p) => p.path);
const range = { from: '2026-05-01', to: '2026-05-31' };

describe('parseRoiQuery', () => {
  it('takes the defaults: last_touch, by campaign, in EUR, as JSON', () => {
    expect(parseRoiQuery(range)).toEqual({
      query: { from: '2026-05-01', to: '2026-05-31', models: ['last_touch'], groupBy: 'campaign', currency: 'EUR', format: 'json' },
      problems: [],
    });
  });

  it('treats empty parameters as absent', () => {
    expect(parseRoiQuery({ ...range, models: '', groupBy: ' ', currency: '', format: '' }).query).toMatchObject({ models: ['last_touch'], groupBy: 'campaign', currency: 'EUR', format: 'json' });
  });

  it('reads several models in the order given, trimmed, without repeats', () => {
    expect(parseRoiQuery({ ...range, models: 'linear, last_touch,linear' }).query?.models).toEqual(['linear', 'last_touch']);
    expect(parseRoiQuery({ ...range, models: ATTRIBUTION_MODELS.join(',') }).query?.models).toEqual([...ATTRIBUTION_MODELS]);
  });

  it('reads every grouping, currency and format', () => {
    for (const groupBy of ['campaign', 'channel', 'campaign,channel']) expect(parseRoiQuery({ ...range, groupBy }).query?.groupBy).toBe(groupBy);
    expect(parseRoiQuery({ ...range, currency: 'USD', format: 'csv' }).query).toMatchObject({ currency: 'USD', format: 'csv' });
  });

  it('names models when one is unknown or empty, and lists the known ones', () => {
    const { query, problems } = parseRoiQuery({ ...range, models: 'last_touch,u_shaped' });
    expect(query).toBeNull();
    expect(problems).toEqual([{ path: 'models', message: expect.stringContaining('"u_shaped"') }]);
    expect(problems[0].message).toContain('last_non_direct');
    expect(paths({ ...range, models: 'linear,' })).toEqual(['models']);
    expect(paths({ ...range, models: 'LINEAR' })).toEqual(['models']);
  });

  it('requires from and to as real calendar days', () => {
    expect(paths({})).toEqual(['from', 'to']);
    expect(paths({ from: '2026-02-30', to: '2026-03-01' })).toEqual(['from']);
    expect(paths({ from: '2026-05-01', to: '2026-5-31' })).toEqual(['to']);
    expect(paths({ from: '2026-05-01T00:00:00Z', to: '2026-05-31' })).toEqual(['from']);
    expect(paths({ from: '2024-02-29', to: '2024-03-01' })).toEqual([]);
  });

  it('names to when it is before from or more than 3 years after it', () => {
    expect(paths({ from: '2026-05-02', to: '2026-05-01' })).toEqual(['to']);
    expect(paths({ from: '2026-05-01', to: '2026-05-01' })).toEqual([]);
    expect(paths({ from: '2023-05-01', to: '2026-05-01' })).toEqual([]);
    expect(paths({ from: '2023-05-01', to: '2026-05-02' })).toEqual(['to']);
    expect(parseRoiQuery({ from: '2023-05-01', to: '2026-05-02' }).problems[0].message).toContain('2026-05-01');
  });

  it('names groupBy, currency and format when they are not one of theirs', () => {
    expect(paths({ ...range, groupBy: 'channel,campaign' })).toEqual(['groupBy']);
    expect(paths({ ...range, groupBy: 'model' })).toEqual(['groupBy']);
    expect(paths({ ...range, currency: 'usd' })).toEqual(['currency']);
    expect(paths({ ...range, currency: 'ABC' })).toEqual(['currency']);
    expect(paths({ ...range, format: 'xlsx' })).toEqual(['format']);
  });

  it('reports every problem at once', () => {
    expect(paths({ from: 'yesterday', models: 'nope', groupBy: 'x', currency: 'x', format: 'x' })).toEqual(['from', 'to', 'models', 'groupBy', 'currency', 'format']);
  });
});

describe('addYears', () => {
  it('moves to the same day years later; 29 February becomes 1 March', () => {
    expect(addYears('2023-05-01', 3)).toBe('2026-05-01');
    expect(addYears('2024-02-29', 3)).toBe('2027-03-01');
    expect(addYears('0099-12-31', 3)).toBe('0102-12-31');
  });

  it('accepts ranges that end in the last years of the calendar', () => {
    const { query, problems } = parseRoiQuery({ from: '9997-01-01', to: '9999-12-31' });
    expect(problems).toEqual([]);
    expect(query).toMatchObject({ from: '9997-01-01', to: '9999-12-31' });
  });
});
