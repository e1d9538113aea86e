/**
 * Money is kept as integer minor units (cents) with its ISO 4217 currency, and crosses the
 * API as a decimal string ("1250.00"). It is never held in a binary float at rest.
 */
export interface Money {
  /** Integer minor units, as a bigint. */
  minor: bigint;
  currency: string;
}

const CURRENCY = /^[A-Z]{3}$/;
const DECIMAL = /^(-)?(\d{1,15})(?:\.(\d+))?$/;

export function isCurrency(code: string): boolean {
  if (!CURRENCY.test(code)) return false;
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code });
    return Intl.supportedValuesOf('currency').includes(code);
  } catch {
    return false;
  }
}

const DIGITS = new Map<string, number>();

/** How many decimal places the currency's minor unit has (USD 2, JPY 0, BHD 3). */
export function minorDigits(currency: string): number {
  // Remembered per code: a report formats tens of thousands of amounts in one currency.
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    DIGITS.set(currency, digits);
  }
  return digits;
}

/**
 * Parses "1250.5" in a currency into minor units; null when the text is not a decimal
 * number or has more decimals than the currency allows.
 */
export function parseMoney(text: string, currency: string): Money | null {
  if (!isCurrency(currency)) return null;
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const digits = minorDigits(currency);
  if (fraction.length > digits) return null;
  const minor = BigInt(whole + fraction.padEnd(digits, '0')) * (sign ? -1n : 1n);
  return { minor, currency };
}

/** Formats minor units as a decimal string with the currency's number of decimals. */
export function formatMinor(minor: bigint | string | number, currency: string): string {
  const value = BigInt(minor);
  const digits = minorDigits(currency);
  const negative = value < 0n;
  const abs = (negative ? -value : value).toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? abs : abs.slice(0, -digits);
  const fraction = digits === 0 ? '' : '.' + abs.slice(-digits);
  return (negative ? '-' : '') + whole + fraction;
}

/** n / d rounded to a whole number, halves away from zero. d must not be 0. */
export function divideRounded(n: bigint, d: bigint): bigint {
  const quotient = n / d;
  const remainder = n % d;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  if (2n * abs(remainder) >= abs(d)) return quotient + ((n < 0n) !== (d < 0n) ? -1n : 1n);
  return quotient;
}

const RATIO_SCALE = 10_000n;

/**
 * n / d rounded to 4 decimals, halves away from zero, computed on integers so that it is exact
 * to the 4th decimal; null when d is 0 (never ∞).
 */
export function ratio(n: bigint, d: bigint): number | null {
  if (d === 0n) return null;
  return Number(divideRounded(n * RATIO_SCALE, d)) / Number(RATIO_SCALE) || 0;
}

/**
 * Return on investment, (revenue − cost) / cost, from minor units; null when cost is zero
 * (there is no meaningful ratio). Rounded to 4 decimal places.
 */
export function roi(revenueMinor: bigint, costMinor: bigint): number | null {
  return ratio(revenueMinor - costMinor, costMinor);
}
