import type { FieldProblem } from '@ce/errors';
import { isCurrency } from '@ce/money';
import { capProblems, isDay, isPlainObject } from '../common/input-checks';

/**
 * The currency every stored rate is expressed in: a rate says what one unit of a currency was
 * worth in euros. It is also the default reporting currency. Reports in another currency
 * convert through it (cross rates).
 */
export const BASE_CURRENCY = 'EUR';
export const MAX_RATES = 10_000;
/** Fits `numeric(24,12)`: at most 12 digits before the point and 12 after. */
const RATE = /^(\d{1,12})(?:\.(\d{1,12}))?$/;

export interface RateInput {
  currency: string;
  day: string;
  /** Exact decimal text, as sent. */
  rate: string;
}

export interface RateQuery {
  currency: string | null;
  from: string | null;
  to: string | null;
}

/** Why the value is not a currency code this API takes, or null when it is one. */
export function currencyProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !isCurrency(value)) return 'must be an upper-case ISO 4217 currency code such as USD';
  return null;
}

/**
 * Checks `{ rates: [{ currency, day, rate }] }` and returns the rates, or every problem with its
 * path (`rates[3].rate`), all at once. A list that is missing, empty or too long is refused
 * without looking at its items.
 */
export function parseRateBatch(body: unknown): { rates: RateInput[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!isPlainObject(body)) return { rates: [], problems: [{ path: 'rates', message: 'is required: send { "rates": [ ... ] }' }] };
  for (const key of Object.keys(body)) if (key !== 'rates') problems.push({ path: key, message: 'is not a known field' });
  const list = body.rates;
  if (!Array.isArray(list)) return { rates: [], problems: [{ path: 'rates', message: list === undefined ? 'is required' : 'must be an array' }, ...problems] };
  if (list.length === 0 || list.length > MAX_RATES) {
    const message = list.length === 0 ? `must have 1 to ${MAX_RATES} items` : `has ${list.length} items; at most ${MAX_RATES} are taken in one request, so split it`;
    return { rates: [], problems: [{ path: 'rates', message }, ...problems] };
  }
  const rates: RateInput[] = [];
  const firstIndex = new Map<string, number>();
  list.forEach((raw, index) => {
    const rate = parseRate(raw, `rates[${index}]`, problems);
    if (!rate) return;
    const key = `${rate.currency} ${rate.day}`;
    const earlier = firstIndex.get(key);
    if (earlier !== undefined) problems.push({ path: `rates[${index}]`, message: `repeats rates[${earlier}]: one rate per currency and day` });
    else firstIndex.set(key, index);
    rates.push(rate);
  });
  return { rates, problems: capProblems(problems, 'rates') };
}

function parseRate(raw: unknown, path: string, problems: FieldProblem[]): RateInput | null {
  if (!isPlainObject(raw)) {
    problems.push({ path, message: 'must be an object' });
    return null;
  }
  const before = problems.length;
  const fail = (field: string, message: string) => problems.push({ path: `${path}.${field}`, message });
  const { currency, day, rate } = raw;
  if (currency === undefined || currency === null) fail('currency', 'is required');
  else if (currencyProblem(currency)) fail('currency', currencyProblem(currency)!);
  else if (currency === BASE_CURRENCY) fail('currency', `${BASE_CURRENCY} is the currency rates are expressed in; its rate is always 1`);
  if (day === undefined || day === null) fail('day', 'is required');
  else if (!isDay(day)) fail('day', 'must be a real calendar day as YYYY-MM-DD');
  if (rate === undefined || rate === null) fail('rate', 'is required');
  else if (typeof rate !== 'string' || !RATE.test(rate)) fail('rate', 'must be a decimal string such as "0.9231", at most 12 digits before the point and 12 after');
  else if (!/[1-9]/.test(rate)) fail('rate', 'must be greater than 0');
  for (const key of Object.keys(raw)) if (!['currency', 'day', 'rate'].includes(key)) fail(key, 'is not a known field');
  if (problems.length > before) return null;
  return { currency: currency as string, day: day as string, rate: rate as string };
}

/** Checks the filters of `GET /v1/currency-rates`; each is optional. */
export function parseRateQuery(raw: Record<string, unknown>): { query: RateQuery; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const text = (field: string): string | null => {
    const value = raw[field];
    return value === undefined || value === '' ? null : String(value);
  };
  const currency = text('currency');
  if (currency !== null && currencyProblem(currency)) problems.push({ path: 'currency', message: currencyProblem(currency)! });
  const from = text('from');
  const to = text('to');
  if (from !== null && !isDay(from)) problems.push({ path: 'from', message: 'must be a real calendar day as YYYY-MM-DD' });
  if (to !== null && !isDay(to)) problems.push({ path: 'to', message: 'must be a real calendar day as YYYY-MM-DD' });
  if (from !== null && to !== null && isDay(from) && isDay(to) && from > to) problems.push({ path: 'to', message: 'must be on or after from' });
  return { query: { currency, from, to }, problems };
}


/** A stored rate (`0.923100000000`) as it was sent: no trailing zeros after the point. */
export function trimDecimal(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}
