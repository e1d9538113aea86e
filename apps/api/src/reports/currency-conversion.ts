import type { ClientBase } from 'pg';
import { minorDigits } from '@ce/money';
import { BASE_CURRENCY } from '../currency-rates/rate-input';
import { LackingRate, RatesMissingError } from './reports.errors';

/*
 * Converting amounts held in whole minor units of many currencies into one reporting currency,
 * inside a report's SQL. Rates (`currency_rates`) are daily and say what one unit of the base
 * currency (EUR) is worth in a currency; an amount on a day is converted at the latest rate on
 * or before that day. A report checks first that every amount it needs can be converted
 * (`lackingRatesSql`, run by `requireRates`), then computes with the factors
 * (`conversionFactorsSql`, run by `queryConverted`), both in one snapshot (`inReportSnapshot`), so
 * the rates checked are the rates used.
 */

/** The SQL placeholders a report uses for the currency parameters (e.g. `$4`). */
export interface CurrencyPlaceholders {
  /** The reporting currency code (text). */
  reporting: string;
  /** The currency the rates are expressed against (text; BASE_CURRENCY). */
  base: string;
  /** Every known currency code (text[]), parallel to `digits`. */
  codes: string;
  /** The minor digits of each code (int[]). */
  digits: string;
}

/** Every currency the runtime knows, with its minor digits, for converting minor units in SQL. */
export const CURRENCY_CODES: readonly string[] = Intl.supportedValuesOf('currency');
export const CURRENCY_DIGITS: readonly number[] = CURRENCY_CODES.map((code) => minorDigits(code));
export { BASE_CURRENCY };

/**
 * A statement listing, per currency, the days whose amounts cannot be converted: given `needed`,
 * a query of distinct (currency, day) pairs with an amount other than 0 in a currency other
 * than the reporting one, it returns rows (currency, days[]) for a currency without a rate on
 * or before the day, and for the reporting currency itself when it is not the base currency
 * and has no rate yet on such a day.
 */
export function lackingRatesSql(needed: string, p: Pick<CurrencyPlaceholders, 'reporting' | 'base'>): string {
  return `
with needed as (${needed}),
first_rate as (
  select c.currency, (select min(r.day) from currency_rates r where r.currency = c.currency) as day
    from (select currency from needed union select ${p.reporting}::text) c
),
lacking as (
  select n.currency, n.day from needed n join first_rate f on f.currency = n.currency
   where n.currency <> ${p.base}::text and (f.day is null or f.day > n.day)
  union
  select ${p.reporting}::text, n.day from needed n join first_rate f on f.currency = ${p.reporting}::text
   where ${p.reporting}::text <> ${p.base}::text and (f.day is null or f.day > n.day)
)
select currency, array_agg(day::text order by day) as days from lacking group by currency order by currency`;
}

/**
 * Common-table expressions (to follow a `with`, and a CTE named `pairs` of distinct
 * (currency, day)) defining `factors (currency, day, factor)`: multiply an amount in minor units
 * of `currency` on `day` by `factor` to get minor units of the reporting currency, as exact
 * numeric (round once, at the end). The factor is 1 in the reporting currency and null when a
 * rate is missing (which the check above rules out).
 */
export function conversionFactorsSql(p: CurrencyPlaceholders): string {
  return `
scale as (select * from unnest(${p.codes}::text[], ${p.digits}::int[]) as s(currency, digits)),
target as (select coalesce((select digits from scale where currency = ${p.reporting}::text), 2) as digits),
factors as (
  select p.currency, p.day,
         case when p.currency = ${p.reporting}::text then 1::numeric
              else own.rate * power(10::numeric, t.digits - coalesce(s.digits, 2)) / reporting.rate end as factor
    from pairs p
    cross join target t
    left join scale s on s.currency = p.currency
    cross join lateral (
      select case when p.currency = ${p.base}::text then 1::numeric
                  else (select r.rate from currency_rates r where r.currency = p.currency and r.day <= p.day order by r.day desc limit 1) end as rate
    ) own
    cross join lateral (
      select case when ${p.reporting}::text = ${p.base}::text then 1::numeric
                  else (select r.rate from currency_rates r where r.currency = ${p.reporting}::text and r.day <= p.day order by r.day desc limit 1) end as rate
    ) reporting
)`;
}

/**
 * Runs the rate check on `client` (inside the report's snapshot) and throws the 422 naming
 * `currency` when some amount cannot be converted.
 */
export async function requireRates(client: ClientBase, sql: string, params: readonly unknown[], reportingCurrency: string): Promise<void> {
  const lacking = await client.query<LackingRate>(sql, params as unknown[]);
  if (lacking.rows.length > 0) throw new RatesMissingError(reportingCurrency, lacking.rows);
}

/**
 * Runs a report statement that converts with `conversionFactorsSql`, after `requireRates` in the
 * same snapshot, and gives its rows. A row marked `unpriced` (an amount without a rate) cannot
 * happen after that check; should one come, the report fails rather than give a wrong number.
 */
export async function queryConverted<R extends { unpriced: boolean }>(client: ClientBase, sql: string, params: readonly unknown[]): Promise<R[]> {
  const { rows } = await client.query<R>(sql, params as unknown[]);
  if (rows.some((row) => row.unpriced)) throw new Error('An amount without a rate reached a report after the rate check.');
  return rows;
}
