import { conversionFactorsSql, CurrencyPlaceholders, lackingRatesSql } from './currency-conversion';

/*
 * The two statements of a cohort report, run in one snapshot: the report, then, only when it met
 * an amount without a rate, the rate check.
 *
 * Parameters shared by both: $1 from, $2 to (dates, inclusive, UTC days), $3 interval ('month'
 * or 'week'), $4 periods (int), $5 the reporting currency, $6 the currency rates are expressed in.
 * By campaign the check adds $7 and the report $9, the campaign id. The report adds $7 currency
 * codes and $8 their minor digits (parallel arrays).
 *
 * A customer is a lead with a conversion (of any type or value). Its cohort is the period
 * (`date_trunc`: months on the 1st, weeks on Mondays, in UTC) of its first conversion ever; only
 * customers whose first conversion lies in the range are reported. Their conversions are then
 * followed period by period: offset 0 is the cohort's own period. Only offsets below $4, and
 * periods up to today's, are reported.
 */

const CHECK: CurrencyPlaceholders = { reporting: '$5', base: '$6', codes: '', digits: '' };
const REPORT: CurrencyPlaceholders = { reporting: '$5', base: '$6', codes: '$7', digits: '$8' };

const START = `$1::date::timestamp at time zone 'UTC'`;
const STOP = `($2::date + 1)::timestamp at time zone 'UTC'`;
const PERIOD = `('1 ' || $3::text)::interval`;
/** The end of today's period, as a UTC wall-clock timestamp and as an instant: nothing later is shown. */
const END_OF_TODAYS_PERIOD = `(date_trunc($3::text, now() at time zone 'UTC') + ${PERIOD})`;
const SHOWN_UNTIL = `${END_OF_TODAYS_PERIOD} at time zone 'UTC'`;

/** Placeholder of the campaign id in each statement. */
const CAMPAIGN_PARAM = { check: '$7', report: '$9' } as const;

/**
 * Common-table expressions (to follow a `with`) defining `members (lead_id, cohort)` and
 * `reported (cohort, k, lead_id, currency, day, value_minor)`: each conversion of a member in a
 * period the report shows, with its offset k. First conversions are found by the range on
 * `conversions.occurred_at` and kept when the lead has no earlier one (by `lead_id`).
 */
function reportedSql(campaign: string | null): string {
  const enrolled = campaign ? `and c.lead_id in (select e.lead_id from enrollments e where e.campaign_id = ${campaign}::uuid)` : '';
  return `
firsts as (
  select c.lead_id, min(c.occurred_at) as first_at
    from conversions c
   where c.occurred_at >= ${START} and c.occurred_at < ${STOP} ${enrolled}
     and not exists (select 1 from conversions p where p.lead_id = c.lead_id and p.occurred_at < ${START})
   group by c.lead_id
),
members as (
  select lead_id, date_trunc($3::text, first_at at time zone 'UTC')::date as cohort from firsts
),
dated as (
  select m.cohort, v.lead_id, v.currency, v.value_minor,
         (v.occurred_at at time zone 'UTC')::date as day,
         date_trunc($3::text, v.occurred_at at time zone 'UTC')::date as period
    from members m join conversions v on v.lead_id = m.lead_id
   where v.occurred_at < ${SHOWN_UNTIL}
),
reported as (
  select d.cohort, d.lead_id, d.currency, d.value_minor, d.day,
         case when $3::text = 'week' then (d.period - d.cohort) / 7
              else ((extract(year from d.period) - extract(year from d.cohort)) * 12
                    + extract(month from d.period) - extract(month from d.cohort))::int end as k
    from dated d
)`;
}

/** The currencies and days whose amounts in the reported periods cannot be converted. */
export function cohortRateCheckSql(byCampaign: boolean): string {
  return lackingRatesSql(
    `with ${reportedSql(byCampaign ? CAMPAIGN_PARAM.check : null)}
     select distinct currency, day from reported
      where k < $4::int and value_minor <> 0 and currency <> $5::text`,
    CHECK,
  );
}

/**
 * The report: one row per cohort and offset (every offset below $4 whose period has begun, with
 * or without conversions), giving the cohort's size, the customers active in the period, and
 * the period's and the cumulative revenue and the cumulative revenue per customer, each
 * converted at its day's factor as exact numeric and rounded once to whole minor units of the
 * reporting currency, halves away from zero.
 */
export function cohortReportSql(byCampaign: boolean): string {
  return `
with ${reportedSql(byCampaign ? CAMPAIGN_PARAM.report : null)},
shown as (select * from reported where k < $4::int),
pairs as (select distinct currency, day from shown),
${conversionFactorsSql(REPORT)},
sizes as (select cohort, count(*) as customers from members group by cohort),
cells as (
  select s.cohort, s.customers, k
    from sizes s cross join generate_series(0, $4::int - 1) as k
   where s.cohort + k * ${PERIOD} < ${END_OF_TODAYS_PERIOD}
),
sums as (
  select r.cohort, r.k, count(distinct r.lead_id) as active,
         sum(r.value_minor::numeric * f.factor) as revenue,
         bool_or(r.value_minor <> 0 and f.factor is null) as unpriced
    from shown r join factors f on f.currency = r.currency and f.day = r.day
   group by r.cohort, r.k
)
select c.cohort::text as cohort, c.customers::int as customers, c.k::int as k,
       coalesce(s.active, 0)::int as active,
       round(coalesce(s.revenue, 0))::text as revenue_minor,
       round(sum(coalesce(s.revenue, 0)) over w)::text as cumulative_minor,
       round(sum(coalesce(s.revenue, 0)) over w / c.customers)::text as ltv_minor,
       coalesce(s.unpriced, false) as unpriced
  from cells c left join sums s on s.cohort = c.cohort and s.k = c.k
window w as (partition by c.cohort order by c.k)
 order by c.cohort, c.k`;
}
