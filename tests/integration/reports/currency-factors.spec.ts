import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import {
  BASE_CURRENCY,
  calendarFactorsSql,
  conversionFactorsSql,
  CURRENCY_CODES,
  CURRENCY_DIGITS,
  CurrencyPlaceholders,
} from '../../../apps/api/src/reports/currency-conversion';
import { openTestDatabase } from '../../support/db';
import { E2E_ENV } from '../../support/e2e-env';

/**
 * The two ways a report works out its conversion factors, on real PostgreSQL: per currency-day
 * pair by index lookups, and over every day of a range from the rates alone. Both must give the
 * same factor for every currency and day, and no factor where a rate is missing. (A rate is what
 * one unit of a currency is worth in EUR.)
 *
 * The rates are written in 1901, which no other test uses, inside a transaction rolled back at
 * the end.
 */
describe('currency conversion factors', () => {
  let orm: MikroORM;
  let client: Client;
  const P: CurrencyPlaceholders = { reporting: '$3', base: '$4', codes: '$5', digits: '$6' };
  const FROM = '1901-03-01';
  const TO = '1901-03-07';
  const SHOWN = ['CHF', 'EUR', 'JPY', 'NOK', 'SEK'];

  beforeAll(async () => {
    orm = await openTestDatabase();
    client = new Client({ connectionString: process.env[E2E_ENV.databaseUrl] });
    await client.connect();
    await client.query('begin');
    await client.query(
      `insert into currency_rates (currency, day, rate) values
         ('CHF', '1901-03-02', 1.5), ('CHF', '1901-03-05', 1.6),
         ('JPY', '1901-02-20', 150),
         ('SEK', '1901-03-01', 11), ('SEK', '1901-03-04', 12)`,
    );
  });

  afterAll(async () => {
    await client?.query('rollback');
    await client?.end();
    await orm?.close(true);
  });

  type Factors = Map<string, string | null>;

  async function calendar(reporting: string): Promise<Factors> {
    const { rows } = await client.query<{ currency: string; day: string; factor: string | null }>(
      `with ${calendarFactorsSql(P, '$1', '$2')}
       select currency, day::text, factor::text from factors where currency = any($7::text[])`,
      [FROM, TO, reporting, BASE_CURRENCY, CURRENCY_CODES, CURRENCY_DIGITS, SHOWN],
    );
    return new Map(rows.map((r) => [`${r.currency} ${r.day}`, r.factor]));
  }

  async function perPair(reporting: string): Promise<Factors> {
    const { rows } = await client.query<{ currency: string; day: string; factor: string | null }>(
      `with pairs as (select c as currency, d::date as day from unnest($7::text[]) c cross join generate_series($1::date, $2::date, interval '1 day') d),
       ${conversionFactorsSql(P)}
       select currency, day::text, factor::text from factors`,
      [FROM, TO, reporting, BASE_CURRENCY, CURRENCY_CODES, CURRENCY_DIGITS, SHOWN],
    );
    // A missing factor is no row in the calendar, and a null here.
    return new Map(rows.filter((r) => r.factor !== null).map((r) => [`${r.currency} ${r.day}`, r.factor]));
  }

  const value = (factor: string | null | undefined) => (factor == null ? factor : Number(factor));

  it('converts into a reporting currency other than the base at each day’s latest rates', async () => {
    const factors = await calendar('SEK');
    expect(factors).toEqual(await perPair('SEK'));

    // The reporting currency counts as it is, every day.
    for (const day of ['1901-03-01', '1901-03-07']) expect(value(factors.get(`SEK ${day}`))).toBe(1);
    // No CHF rate on or before the 1st; the 2nd's rate holds until the 5th's.
    expect(factors.has('CHF 1901-03-01')).toBe(false);
    expect(value(factors.get('CHF 1901-03-03'))).toBeCloseTo(1.5 / 11, 12);
    expect(value(factors.get('CHF 1901-03-04'))).toBeCloseTo(1.5 / 12, 12);
    expect(value(factors.get('CHF 1901-03-07'))).toBeCloseTo(1.6 / 12, 12);
    // A yen has no minor unit and öre are hundredths: a yen, at the rate from before the range.
    expect(value(factors.get('JPY 1901-03-01'))).toBeCloseTo((150 / 11) * 100, 12);
    // The base currency's rate is 1.
    expect(value(factors.get('EUR 1901-03-06'))).toBeCloseTo(1 / 12, 12);
    // A currency without any rate has no factor.
    expect([...factors.keys()].some((k) => k.startsWith('NOK'))).toBe(false);
  });

  it('converts into the base currency, and refuses nothing in it', async () => {
    const factors = await calendar(BASE_CURRENCY);
    expect(factors).toEqual(await perPair(BASE_CURRENCY));
    expect(value(factors.get('EUR 1901-03-01'))).toBe(1);
    expect(value(factors.get('SEK 1901-03-04'))).toBeCloseTo(12, 12);
    expect(value(factors.get('JPY 1901-03-07'))).toBeCloseTo(150 * 100, 12);
  });

  it('has no factor where the reporting currency itself lacks a rate', async () => {
    const factors = await calendar('CHF');
    expect(factors).toEqual(await perPair('CHF'));
    expect(value(factors.get('CHF 1901-03-01'))).toBe(1);
    expect(factors.has('SEK 1901-03-01')).toBe(false);
    expect(factors.has('EUR 1901-03-01')).toBe(false);
    expect(value(factors.get('SEK 1901-03-02'))).toBeCloseTo(11 / 1.5, 12);
  });
});
