import type { ClientBase } from 'pg';
import { minorDigits } from '@ce/money';
import { BASE_CURRENCY } from '../currency-rates/rate-input';
import { LackingRate, RatesMissingError } from './reports.errors';

/*
 * Converting amounts held in whole minor units of many currencies into one reporting currency,
 * inside a report's SQL. Rates (`currency_rates`) are daily and say what one unit of the base
 * currency (EUR) is worth in a currency; an amount on a day is converted at the latest rate on
 * or before that day. A report computes with the factors (`conversionFactorsSql` over the
 * currency-day pairs it needs, or `calendarFactorsSql` over every day of a bounded range) and
 * marks a row `unpriced` when a non-zero amount in it found no factor. Only then does
 * `queryConverted` run the report's check (`lackingRatesSql`), in the same snapshot
 * (`inReportSnapshot`), to refuse the report naming the currencies and days without a rate.
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

/** `scale (currency, digits)` and `target (digits)`: minor digits of every currency and of the reporting one. */
function digitsSql(p: CurrencyPlaceholders): string {
  return `
scale as (select * from unnest(${p.codes}::text[], ${p.digits}::int[]) as s(currency, digits)),
target as (select coalesce((select digits from scale where currency = ${p.reporting}::text), 2) as digits)`;
}

/**
 * The factor turning minor units of a currency into minor units of the reporting currency, given
 * the currency's rate (`own`), the reporting currency's rate (`reporting`) that day, `t.digits`
 * and the currency's `s.digits` (2 when unknown). Null when either rate is.
 */
function factorSql(own: string, reporting: string): string {
  return `${own} * power(10::numeric, t.digits - coalesce(s.digits, 2)) / ${reporting}`;
}

/**
 * Common-table expressions (to follow a `with`, and a CTE named `pairs` of distinct
 * (currency, day)) defining `factors (currency, day, factor)`: multiply an amount in minor units
 * of `currency` on `day` by `factor` to get minor units of the reporting currency, as exact
 * numeric (round once, at the end). The factor is 1 in the reporting currency and null when a
 * rate is missing. Each pair looks its rates up by index, so this suits reports that need few
 * pairs or have no bounded range.
 */
export function conversionFactorsSql(p: CurrencyPlaceholders): string {
  return `${digitsSql(p)},
factors as (
  select p.currency, p.day,
         case when p.currency = ${p.reporting}::text then 1::numeric else ${factorSql('own.rate', 'reporting.rate')} end as factor
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
 * Like `conversionFactorsSql`, but `factors (currency, day, factor)` holds every day from `from`
 * to `to` (placeholders of dates; a range of a few years) for the reporting currency, the base
 * currency and every currency with a rate, without reading the report's data first: each
 * currency's rates in the range (and the last one before it) are read once, in key order, and
 * carried forward to the days up to its next rate. A currency without a rate on or before a day
 * has no row for that day, so a report joins it with a left join and counts a missing factor
 * as unpriced.
 */
export function calendarFactorsSql(p: CurrencyPlaceholders, from: string, to: string): string {
  const days = (start: string, end: string) => `generate_series(${start}, ${end}, interval '1 day')`;
  return `${digitsSql(p)},
rated as (
  -- The currencies with rates, one index probe each (a loose scan of the primary key).
  with recursive next_currency as (
    (select currency from currency_rates order by currency limit 1)
    union all
    select (select r.currency from currency_rates r where r.currency > n.currency order by r.currency limit 1)
      from next_currency n where n.currency is not null
  )
  select currency from next_currency where currency is not null and currency <> ${p.base}::text
),
rate_runs as (
  select c.currency, r.day, r.rate, lead(r.day) over (partition by c.currency order by r.day) as next_day
    from rated c
   cross join lateral (
     (select day, rate from currency_rates where currency = c.currency and day <= ${from}::date order by day desc limit 1)
     union all
     (select day, rate from currency_rates where currency = c.currency and day > ${from}::date and day <= ${to}::date)
   ) r
),
day_rates as (
  select r.currency, d::date as day, r.rate
    from rate_runs r
   cross join lateral ${days(`greatest(r.day, ${from}::date)`, `least(coalesce(r.next_day - 1, ${to}::date), ${to}::date)`)} d
  union all
  select ${p.base}::text, d::date, 1::numeric from ${days(`${from}::date`, `${to}::date`)} d
),
factors as (
  select ${p.reporting}::text as currency, d::date as day, 1::numeric as factor from ${days(`${from}::date`, `${to}::date`)} d
  union all
  select own.currency, own.day, ${factorSql('own.rate', 'reporting.rate')}
    from day_rates own
    join day_rates reporting on reporting.currency = ${p.reporting}::text and reporting.day = own.day
    cross join target t
    left join scale s on s.currency = own.currency
   where own.currency <> ${p.reporting}::text
)`;
}

/** A report's rate check (`lackingRatesSql`) and its parameters, run when a row is unpriced. */
export interface RateCheck {
  sql: string;
  params: readonly unknown[];
  /** The reporting currency, to name in the refusal. */
  currency: string;
}

/**
 * Runs a report statement that converts with the factors above and gives its rows. When a row
 * is marked `unpriced` (a non-zero amount without a factor), it runs the report's rate check in
 * the same snapshot and throws the 422 naming `currency` and the days lacking a rate; should the
 * check find none, the report fails rather than give a wrong number.
 */
export async function queryConverted<R extends { unpriced: boolean }>(client: ClientBase, sql: string, params: readonly unknown[], check: RateCheck): Promise<R[]> {
  const { rows } = await client.query<R>(sql, params as unknown[]);
  if (!rows.some((row) => row.unpriced)) return rows;
  const lacking = await client.query<LackingRate>(check.sql, check.params as unknown[]);
  if (lacking.rows.length > 0) throw new RatesMissingError(check.currency, lacking.rows);
  throw new Error('A report found an amount without a rate that its rate check does not name.');
}
