import type { GroupBy } from './roi-query';

/*
 * The two statements of an ROI report. Both read only the roll-ups (`attribution_rollups`, never
 * the credits) and `costs`, filtered first by the day range, which is the leading column of the
 * roll-ups' primary key (day, campaign_key, channel, model, currency): the range is one index
 * range scan, the models an index condition inside it.
 *
 * Parameters, the same for both: $1 from, $2 to (dates, inclusive), $3 models (text[]),
 * $4 reporting currency, $5 the currency rates are expressed in. The report adds $6 currency
 * codes and $7 their minor digits (parallel arrays).
 */

/**
 * The currencies and days whose amounts cannot be converted: an amount (not 0) in a currency
 * other than the reporting one, on a day before that currency's first rate, or before the
 * reporting currency's first rate when it is not the rates' own currency.
 */
export const RATE_CHECK_SQL = `
with needed as (
  select distinct currency, day from attribution_rollups
   where day between $1::date and $2::date and model = any($3::text[]) and revenue_minor <> 0 and currency <> $4::text
  union
  select distinct currency, day from costs
   where day between $1::date and $2::date and amount_minor <> 0 and currency <> $4::text
),
first_rate as (
  select c.currency, (select min(r.day) from currency_rates r where r.currency = c.currency) as day
    from (select currency from needed union select $4::text) c
),
lacking as (
  select n.currency, n.day from needed n join first_rate f on f.currency = n.currency
   where n.currency <> $5::text and (f.day is null or f.day > n.day)
  union
  select $4::text, n.day from needed n join first_rate f on f.currency = $4::text
   where $4::text <> $5::text and (f.day is null or f.day > n.day)
)
select currency, array_agg(day::text order by day) as days from lacking group by currency order by currency`;

const KEYS: Record<GroupBy, string[]> = {
  campaign: ['campaign_key'],
  channel: ['channel'],
  'campaign,channel': ['campaign_key', 'channel'],
};

/**
 * The report in one statement: roll-ups and costs in the range, each amount converted at its
 * day's factor (the latest rate on or before the day, as exact numeric; 1 in the reporting
 * currency), summed per group and model and per model over all groups (grouping sets), rounded
 * once to whole minor units of the reporting currency, halves away from zero. Costs count
 * under every model. A row is `total` for a model's total.
 */
export function roiReportSql(groupBy: GroupBy): string {
  const keys = KEYS[groupBy];
  const list = keys.join(', ');
  const withCampaign = keys.includes('campaign_key');
  return `
with
scale as (select * from unnest($6::text[], $7::int[]) as s(currency, digits)),
target as (select coalesce((select digits from scale where currency = $4::text), 2) as digits),
earned as (
  select day, currency, campaign_key, channel, model, conversions, revenue_minor as amount
    from attribution_rollups
   where day between $1::date and $2::date and model = any($3::text[])
     and (abs(conversions) > 1e-9 or revenue_minor <> 0)
),
spent as (
  select day, currency, campaign_id as campaign_key, channel, amount_minor as amount
    from costs
   where day between $1::date and $2::date
),
pairs as (select currency, day from earned union select currency, day from spent),
factors as (
  select p.currency, p.day,
         case when p.currency = $4::text then 1::numeric
              else own.rate * power(10::numeric, t.digits - coalesce(s.digits, 2)) / reporting.rate end as factor
    from pairs p
    cross join target t
    left join scale s on s.currency = p.currency
    cross join lateral (
      select case when p.currency = $5::text then 1::numeric
                  else (select r.rate from currency_rates r where r.currency = p.currency and r.day <= p.day order by r.day desc limit 1) end as rate
    ) own
    cross join lateral (
      select case when $4::text = $5::text then 1::numeric
                  else (select r.rate from currency_rates r where r.currency = $4::text and r.day <= p.day order by r.day desc limit 1) end as rate
    ) reporting
),
facts as (
  select e.campaign_key, e.channel, e.model, e.conversions,
         e.amount::numeric * f.factor as revenue, 0::numeric as cost,
         e.amount <> 0 and f.factor is null as unpriced
    from earned e join factors f on f.currency = e.currency and f.day = e.day
  union all
  select s.campaign_key, s.channel, m.model, 0::double precision, 0::numeric, s.amount::numeric * f.factor,
         s.amount <> 0 and f.factor is null
    from spent s join factors f on f.currency = s.currency and f.day = s.day
    cross join unnest($3::text[]) as m(model)
),
grouped as (
  select ${list}, model, grouping(${keys[0]}) = 1 as total,
         round(sum(conversions)::numeric, 4)::text as conversions,
         round(coalesce(sum(revenue), 0))::text as revenue_minor,
         round(coalesce(sum(cost), 0))::text as cost_minor,
         bool_or(unpriced) as unpriced
    from facts
   group by grouping sets ((${list}, model), (model))
)
select g.*${withCampaign ? ', c.name as campaign_name' : ''}
  from grouped g${withCampaign ? ' left join campaigns c on c.id = g.campaign_key' : ''}`;
}
