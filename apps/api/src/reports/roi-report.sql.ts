import { conversionFactorsSql, CurrencyPlaceholders, lackingRatesSql } from './currency-conversion';
import { periodSql } from './roi-periods';
import type { GroupBy, Interval } from './roi-query';

const CURRENCY: CurrencyPlaceholders = { reporting: '$4', base: '$5', codes: '$6', digits: '$7' };

/*
 * The two statements of an ROI report. Both read only the roll-ups (`attribution_rollups` and
 * `participation_rollups`, never the credits, touchpoints, messages or enrollments) and `costs`,
 * filtered first by the day range, which is the leading column of both roll-ups' primary keys
 * ((day, campaign_key, channel, model, currency) and (day, campaign_key, channel)): each range is
 * one index range scan, the models an index condition inside it.
 *
 * Parameters, the same for both: $1 from, $2 to (dates, inclusive), $3 models (text[]),
 * $4 reporting currency, $5 the currency rates are expressed in. The report adds $6 currency
 * codes and $7 their minor digits (parallel arrays).
 */

/**
 * The currencies and days whose amounts cannot be converted: an amount (not 0) in a currency
 * other than the reporting one, in the roll-ups or the costs of the range.
 */
export const RATE_CHECK_SQL = lackingRatesSql(
  `select distinct currency, day from attribution_rollups
    where day between $1::date and $2::date and model = any($3::text[]) and revenue_minor <> 0 and currency <> $4::text
   union
   select distinct currency, day from costs
    where day between $1::date and $2::date and amount_minor <> 0 and currency <> $4::text`,
  CURRENCY,
);

const KEYS: Record<GroupBy, string[]> = {
  campaign: ['campaign_key'],
  channel: ['channel'],
  'campaign,channel': ['campaign_key', 'channel'],
  none: [],
};

/** The participation counts: the roll-ups' columns, and the statement's. */
const COUNTS = ['enrolled', 'delivered', 'opened', 'clicked', 'engaged', 'reached', 'new_leads'] as const;

/**
 * The report in one statement: roll-ups and costs in the range, each amount converted at its
 * day's factor (the latest rate on or before the day, as exact numeric; 1 in the reporting
 * currency), summed per group and model — and per period with an interval — and per model over
 * everything (grouping sets), rounded once to whole minor units of the reporting currency, halves
 * away from zero. Costs and participation count under every model. A row is `total` for a
 * model's total; with `groupBy=none` and no interval every row is a total.
 */
export function roiReportSql(groupBy: GroupBy, interval?: Interval): string {
  const keys = [...(interval ? ['period'] : []), ...KEYS[groupBy]];
  const withCampaign = keys.includes('campaign_key');
  const grouping = keys.length > 0 ? `grouping sets ((${keys.join(', ')}, model), (model))` : 'model';
  const total = keys.length > 0 ? `grouping(${keys[0]}) = 1` : 'true';
  const counts = COUNTS.map((c) => `coalesce(sum(${c}), 0)::text as ${c}`).join(',\n         ');
  return `
with
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
took_part as (
  select day, campaign_key, channel, ${COUNTS.join(', ')}
    from participation_rollups
   where day between $1::date and $2::date
),
pairs as (select currency, day from earned union select currency, day from spent),
${conversionFactorsSql(CURRENCY)},
facts as (
  select e.day, e.campaign_key, e.channel, e.model, e.conversions,
         e.amount::numeric * f.factor as revenue, 0::numeric as cost,
         e.amount <> 0 and f.factor is null as unpriced,
         ${COUNTS.map((c) => `0 as ${c}`).join(', ')}
    from earned e join factors f on f.currency = e.currency and f.day = e.day
  union all
  select s.day, s.campaign_key, s.channel, m.model, 0::double precision, 0::numeric, s.amount::numeric * f.factor,
         s.amount <> 0 and f.factor is null, ${COUNTS.map(() => '0').join(', ')}
    from spent s join factors f on f.currency = s.currency and f.day = s.day
    cross join unnest($3::text[]) as m(model)
  union all
  select p.day, p.campaign_key, p.channel, m.model, 0::double precision, 0::numeric, 0::numeric, false,
         ${COUNTS.map((c) => `p.${c}`).join(', ')}
    from took_part p
    cross join unnest($3::text[]) as m(model)
),
grouped as (
  select ${keys.map((k) => `${k}, `).join('')}model, ${total} as total,
         round(sum(conversions)::numeric, 4)::text as conversions,
         round(coalesce(sum(revenue), 0))::text as revenue_minor,
         round(coalesce(sum(cost), 0))::text as cost_minor,
         ${counts},
         bool_or(unpriced) as unpriced
    from (select facts.*${interval ? `, ${periodSql('facts.day', interval)} as period` : ''} from facts) dated
   group by ${grouping}
)
select g.*${withCampaign ? ', c.name as campaign_name' : ''}
  from grouped g${withCampaign ? ' left join campaigns c on c.id = g.campaign_key' : ''}`;
}
