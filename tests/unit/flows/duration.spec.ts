import { parseDuration } from '@ce/flows';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

describe('parseDuration', () => {
  it.each([
    ['90s', 90 * SECOND],
    ['15m', 15 * MINUTE],
    ['2h', 2 * HOUR],
    ['3d', 3 * DAY],
    ['1w', WEEK],
  ])('reads the short form %s in milliseconds', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('adds up combined short units such as 1d12h and 1w2d3h4m5s', () => {
    expect(parseDuration('1d12h')).toBe(36 * HOUR);
    expect(parseDuration('1w2d3h4m5s')).toBe(WEEK + 2 * DAY + 3 * HOUR + 4 * MINUTE + 5 * SECOND);
  });

  it.each([
    ['P3D', 3 * DAY],
    ['PT2H30M', 2 * HOUR + 30 * MINUTE],
    ['P1W', WEEK],
    ['PT45S', 45 * SECOND],
    ['P1DT12H', 36 * HOUR],
  ])('reads the ISO 8601 form %s in milliseconds', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('ignores surrounding whitespace and letter case', () => {
    expect(parseDuration('  3d  ')).toBe(3 * DAY);
    expect(parseDuration('2H')).toBe(2 * HOUR);
    expect(parseDuration('pt2h30m')).toBe(2 * HOUR + 30 * MINUTE);
  });

  it.each(['', '   ', '0d', '0s', 'PT0S', 'P0D', 'abc', 'P', 'PT', 'P1DT', '-1d', '1.5d', '3 days', 'd', '1y', '3d2w'])(
    'rejects %p as not a positive duration',
    (text) => {
      expect(parseDuration(text)).toBeNull();
    },
  );

  it('rejects durations too large to count in whole milliseconds exactly', () => {
    expect(parseDuration('99999999999999999999d')).toBeNull();
    expect(parseDuration('P99999999999999W')).toBeNull();
    expect(parseDuration('9007199254740993s')).toBeNull();
  });

  it('accepts a large but representable duration such as 1000 weeks', () => {
    expect(parseDuration('1000w')).toBe(1000 * WEEK);
  });
});
