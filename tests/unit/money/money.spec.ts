import { formatMinor, isCurrency, minorDigits, parseMoney, ratio, roi } from '@ce/money';

describe('parseMoney', () => {
  it('reads a decimal amount into minor units of the currency', () => {
    expect(parseMoney('1250.5', 'USD')).toEqual({ minor: 125050n, currency: 'USD' });
    expect(parseMoney('1250.00', 'USD')).toEqual({ minor: 125000n, currency: 'USD' });
    expect(parseMoney('0.07', 'EUR')).toEqual({ minor: 7n, currency: 'EUR' });
  });

  it('reads whole yen, which have no minor unit', () => {
    expect(parseMoney('10', 'JPY')).toEqual({ minor: 10n, currency: 'JPY' });
    expect(parseMoney('10.5', 'JPY')).toBeNull();
  });

  it('allows three decimals only where the currency has them', () => {
    expect(parseMoney('1.234', 'USD')).toBeNull();
    expect(parseMoney('1.234', 'BHD')).toEqual({ minor: 1234n, currency: 'BHD' });
  });

  it('reads negative amounts and trims surrounding spaces', () => {
    expect(parseMoney('-12.5', 'USD')).toEqual({ minor: -1250n, currency: 'USD' });
    expect(parseMoney('  3.10 ', 'USD')).toEqual({ minor: 310n, currency: 'USD' });
  });

  it.each(['', 'abc', '12,50', '1e3', '.5', '5.', '+5', '1.2.3', '$5', 'NaN', '1234567890123456'])('returns null for %p', (text) => {
    expect(parseMoney(text, 'USD')).toBeNull();
  });

  it('keeps amounts beyond float precision exact', () => {
    expect(parseMoney('999999999999999.99', 'USD')?.minor).toBe(99999999999999999n);
  });
});

describe('formatMinor', () => {
  it('writes minor units as a decimal with the currency\'s places', () => {
    expect(formatMinor(125050n, 'USD')).toBe('1250.50');
    expect(formatMinor(5n, 'USD')).toBe('0.05');
    expect(formatMinor(0n, 'USD')).toBe('0.00');
    expect(formatMinor(1234n, 'BHD')).toBe('1.234');
  });

  it('puts the sign in front of small negative amounts', () => {
    expect(formatMinor(-5n, 'USD')).toBe('-0.05');
    expect(formatMinor(-125050n, 'USD')).toBe('-1250.50');
  });

  it('writes yen without decimals', () => {
    expect(formatMinor(1500n, 'JPY')).toBe('1500');
    expect(formatMinor(0n, 'JPY')).toBe('0');
  });

  it('accepts minor units given as a string or a number', () => {
    expect(formatMinor('125050', 'USD')).toBe('1250.50');
    expect(formatMinor(99, 'USD')).toBe('0.99');
  });

  it('round-trips with parseMoney', () => {
    for (const [text, currency] of [['1250.50', 'USD'], ['-0.01', 'EUR'], ['42', 'JPY'], ['7.005', 'KWD']]) {
      expect(formatMinor(parseMoney(text, currency)!.minor, currency)).toBe(text);
    }
  });
});

describe('minorDigits', () => {
  it('knows how many decimals common currencies use', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('BHD')).toBe(3);
  });
});

describe('roi', () => {
  it('is (revenue − cost) / cost', () => {
    expect(roi(25_000n, 10_000n)).toBe(1.5);
    expect(roi(10_000n, 10_000n)).toBe(0);
  });

  it('is -1 when there is no revenue', () => {
    expect(roi(0n, 10_000n)).toBe(-1);
  });

  it('is null when nothing was spent', () => {
    expect(roi(50_000n, 0n)).toBeNull();
    expect(roi(0n, 0n)).toBeNull();
  });

  it('rounds to four decimal places', () => {
    expect(roi(4n, 3n)).toBe(0.3333);
    expect(roi(5n, 3n)).toBe(0.6667);
    expect(roi(2n, 3n)).toBe(-0.3333);
    expect(roi(1n, 3n)).toBe(-0.6667);
  });

  it('stays exact for amounts beyond float precision', () => {
    const cost = 3n * 10n ** 20n;
    expect(roi(cost + 10n ** 20n, cost)).toBe(0.3333);
    expect(roi(2n * cost, cost)).toBe(1);
  });
});

describe('ratio', () => {
  it('is the share of the whole rounded to four decimals', () => {
    expect(ratio(1n, 4n)).toBe(0.25);
    expect(ratio(1n, 3n)).toBe(0.3333);
    expect(ratio(2n, 3n)).toBe(0.6667);
    expect(ratio(0n, 10n)).toBe(0);
    expect(ratio(10n, 10n)).toBe(1);
  });

  it('is null when the whole is zero', () => {
    expect(ratio(0n, 0n)).toBeNull();
    expect(ratio(5n, 0n)).toBeNull();
  });
});

describe('isCurrency', () => {
  it.each(['USD', 'EUR', 'JPY', 'BHD'])('accepts the ISO 4217 code %s', (code) => {
    expect(isCurrency(code)).toBe(true);
  });

  it.each(['usd', 'US', 'USDD', '', '123', 'ZZZ'])('rejects %p', (code) => {
    expect(isCurrency(code)).toBe(false);
  });
});

describe('roi rounding', () => {
  it('rounds a negative ratio half away from zero like its positive mirror', () => {
    expect(roi(9_998_499n, 10_000_000n)).toBe(-0.0002);
    expect(roi(10_001_501n, 10_000_000n)).toBe(0.0002);
  });

  it('reports a ratio that rounds to nothing as plain zero, not negative zero', () => {
    expect(Object.is(roi(99_999n, 100_000n), 0)).toBe(true);
  });
});

describe('parseMoney with a malformed currency', () => {
  it('returns null instead of throwing', () => {
    expect(parseMoney('10.00', 'ABCD')).toBeNull();
  });
});
