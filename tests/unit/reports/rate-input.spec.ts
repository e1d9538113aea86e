import { isDay } from '../../../apps/api/src/common/input-checks';
import { MAX_RATES, parseRateBatch, parseRateQuery, trimDecimal } from '../../../apps/api/src/currency-rates/rate-input';

const rate = (extra: Record<string, unknown> = {}) => ({ currency: 'USD', day: '2026-05-01', rate: '0.9231', ...extra });
const paths = (body: unknown) => parseRateBatch(body).problems.map((p) => p.path);

describe('parseRateBatch', () => {
  it('takes valid rates as sent', () => {
    expect(parseRateBatch({ rates: [rate(), rate({ currency: 'JPY', rate: '0.006123456789' }), rate({ day: '2026-05-02', rate: '1' })] })).toEqual({
      rates: [rate(), rate({ currency: 'JPY', rate: '0.006123456789' }), rate({ day: '2026-05-02', rate: '1' })],
      problems: [],
    });
  });

  it('names every bad field of every item by path, at once', () => {
    const problems = parseRateBatch({
      rates: [
        rate(),
        rate({ currency: 'usd' }),
        rate({ currency: 'ABC', day: '2026-02-30' }),
        rate({ rate: 0.9 }),
        rate({ rate: '0' }),
        rate({ rate: '-1.2' }),
        rate({ rate: '0.1234567890123' }),
        rate({ extra: true }),
        'not an object',
        { day: '2026-05-01' },
      ],
    }).problems;
    expect(problems.map((p) => p.path)).toEqual([
      'rates[1].currency',
      'rates[2].currency',
      'rates[2].day',
      'rates[3].rate',
      'rates[4].rate',
      'rates[5].rate',
      'rates[6].rate',
      'rates[7].extra',
      'rates[8]',
      'rates[9].currency',
      'rates[9].rate',
    ]);
    expect(problems[4].message).toBe('must be greater than 0');
    expect(problems[7].message).toBe('is not a known field');
  });

  it('refuses a rate for EUR, the currency rates are expressed in', () => {
    expect(parseRateBatch({ rates: [rate({ currency: 'EUR' })] }).problems).toEqual([{ path: 'rates[0].currency', message: expect.stringContaining('always 1') }]);
  });

  it('names the later of two rates for the same currency and day', () => {
    expect(parseRateBatch({ rates: [rate(), rate({ currency: 'GBP' }), rate({ rate: '0.95' })] }).problems).toEqual([
      { path: 'rates[2]', message: 'repeats rates[0]: one rate per currency and day' },
    ]);
  });

  it('refuses a missing, empty or too long list, and unknown top-level fields', () => {
    expect(paths(undefined)).toEqual(['rates']);
    expect(paths({})).toEqual(['rates']);
    expect(paths({ rates: 'x' })).toEqual(['rates']);
    expect(paths({ rates: [] })).toEqual(['rates']);
    expect(paths({ rates: Array.from({ length: MAX_RATES + 1 }, () => rate()) })).toEqual(['rates']);
    expect(paths({ rates: [rate()], currency: 'USD' })).toEqual(['currency']);
  });

  it('takes 10,000 rates, and lists at most 1,000 problems then how many more', () => {
    const days = Array.from({ length: MAX_RATES }, (_, i) => new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10));
    expect(parseRateBatch({ rates: days.map((day) => rate({ day })) }).problems).toEqual([]);
    const problems = parseRateBatch({ rates: days.map((day) => rate({ day, rate: 'x' })) }).problems;
    expect(problems).toHaveLength(1_001);
    expect(problems[1_000]).toEqual({ path: 'rates', message: 'and 9000 more problems not listed here' });
  });
});

describe('parseRateQuery', () => {
  it('takes no filter, or any of them', () => {
    expect(parseRateQuery({})).toEqual({ query: { currency: null, from: null, to: null }, problems: [] });
    expect(parseRateQuery({ currency: 'USD', from: '2026-05-01', to: '2026-05-01' }).problems).toEqual([]);
  });

  it('names bad filters', () => {
    expect(parseRateQuery({ currency: 'us', from: '2026-13-01', to: 'x' }).problems.map((p) => p.path)).toEqual(['currency', 'from', 'to']);
    expect(parseRateQuery({ from: '2026-05-02', to: '2026-05-01' }).problems).toEqual([{ path: 'to', message: 'must be on or after from' }]);
  });
});

describe('isDay and trimDecimal', () => {
  it('knows real calendar days', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2023-02-29')).toBe(false);
    expect(isDay('2023-1-01')).toBe(false);
    expect(isDay('0000-01-01')).toBe(false);
    expect(isDay(20230101)).toBe(false);
  });

  it('gives stored rates back without trailing zeros', () => {
    expect(trimDecimal('0.923100000000')).toBe('0.9231');
    expect(trimDecimal('1.000000000000')).toBe('1');
    expect(trimDecimal('12')).toBe('12');
    expect(trimDecimal('10.500000000000')).toBe('10.5');
  });
});
