import { calendarFactorsSql, CurrencyPlaceholders, lackingRatesSql } from './currency-conversion';
import { periodSql } from './roi-periods';
import type { GroupBy, Interval } from './roi-query';

const CURRENCY: CurrencyPlaceholders = { reporting: '$4', base: '$5', codes: '$6', digits: '$7' };

/*
 * The two statements of an ROI report: the report, then, only when it met an amount without a
 * rate, the rate check. Both read only the roll-ups and `costs`, never the
 * credits, touchpoints, messages or enrollments. Money comes from `attribution_channel_rollups`
 * (model × day × channel × currency; its key leads with the model, so one model's range is one
 * index range) unless the report is by campaign, when it comes from `attribution_rollups`
 * (day × campaign × channel × model × currency). Participation comes from
 * `participation_rollups` (day × campaign × channel), costs from `costs`; both are read by day
 * range.
 *
 * Parameters, the same for both: $1 from, $2 to (dates, inclusive), $3 models (text[]),
 * $4 reporting currency, $5 the currency rates are expressed in. The report adds $6 currency
 * codes and $7 their minor digits (parallel arrays).
 */

/**
 * The currencies and days whose amounts cannot be converted: an amount (not 0) in a currency
 * other than the reporting one, in the roll-ups or the costs of the range. (Both roll-ups sum
 * the same credits, so the smaller one answers for both.) Run only when the report found an
 * amount it could not convert, to say which.
 */
export const RATE_CHECK_SQL = lackingRatesSql(
  `select distinct currency, day from attribution_channel_rollups
    where model = any($3::text[]) and day between $1::date and $2::date and revenue_minor <> 0 and currency <> $4::text
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
 * The attributed conversions and revenue of the range per day, currency, group key and model,
 * leaving out rows that are all zero. By channel, the channel roll-up's rows are already that;
 * otherwise they are summed to it.
 */
function earnedDays(groupBy: GroupBy): string {
  const keys = KEYS[groupBy];
  const list = keys.map((k) => `${k}, `).join('');
  const range = 'model = any($3::text[]) and day between $1::date and $2::date';
  if (groupBy === 'channel')
    return `
  select day, currency, channel, model, conversions, revenue_minor as amount
    from attribution_channel_rollups
   where ${range} and (abs(conversions) > 1e-9 or revenue_minor <> 0)`;
  return `
  select day, currency, ${list}model, sum(conversions) as conversions, sum(revenue_minor) as amount
    from ${keys.includes('campaign_key') ? 'attribution_rollups' : 'attribution_channel_rollups'}
   where ${range}
   group by day, currency, ${list}model
  having abs(sum(conversions)) > 1e-9 or sum(revenue_minor) <> 0`;
}

/**
 * The report in one statement. Each source is first summed per day, currency and group (and
 * model), so that amounts are converted once per day and currency at that day's factor (the
 * latest rate on or before the day, as exact numeric; 1 in the reporting currency; the factors
 * of every day of the range are worked out from the rates alone, so the roll-ups are read once);
 * then summed
 * per group (and period, with an interval). Costs and participation, which have no model, are
 * summed once and joined to every model's row. Sums per group and model, and per model over
 * everything (grouping sets), are rounded once to whole minor units of the reporting currency,
 * halves away from zero. A row is `total` for a model's total; with `groupBy=none` and no
 * interval every row is a total.
 */
export function roiReportSql(groupBy: GroupBy, interval?: Interval): string {
  const keys = KEYS[groupBy];
  const withCampaign = keys.includes('campaign_key');
  const cols = [...(interval ? ['period'] : []), ...keys];
  /** The group columns of a per-day source row, with its period. */
  const groupOf = (alias: string) => [...(interval ? [`${periodSql(`${alias}.day`, interval)} as period`] : []), ...keys.map((k) => `${alias}.${k}`)];
  const list = (items: string[]) => items.map((i) => `${i}, `).join('');
  const sameGroup = (a: string, b: string) => cols.map((c) => ` and ${a}.${c} = ${b}.${c}`).join('');
  const grouping = cols.length > 0 ? `grouping sets ((${cols.join(', ')}, model), (model))` : 'model';
  const total = cols.length > 0 ? `grouping(${cols[0]}) = 1` : 'true';
  const groups = cols.length > 0 ? `select ${cols.join(', ')} from earned union select ${cols.join(', ')} from spent union select ${cols.join(', ')} from took_part` : 'select 1 as one';
  return `
with
earned_days as (${earnedDays(groupBy)}),
spent_days as (
  select day, currency, ${list(keys.map((k) => (k === 'campaign_key' ? 'campaign_id as campaign_key' : k)))}sum(amount_minor) as amount
    from costs
   where day between $1::date and $2::date
   group by day, currency${keys.map((k) => `, ${k === 'campaign_key' ? 'campaign_id' : k}`).join('')}
),
${calendarFactorsSql(CURRENCY, '$1', '$2')},
earned as (
  select ${list(groupOf('e'))}e.model, sum(e.conversions) as conversions, sum(e.amount::numeric * f.factor) as revenue,
         bool_or(e.amount <> 0 and f.factor is null) as unpriced
    from earned_days e left join factors f on f.currency = e.currency and f.day = e.day
   group by ${list(cols)}e.model
),
spent as (
  select ${list(groupOf('s'))}sum(s.amount::numeric * f.factor) as cost, bool_or(s.amount <> 0 and f.factor is null) as unpriced
    from spent_days s left join factors f on f.currency = s.currency and f.day = s.day
   ${cols.length > 0 ? `group by ${cols.join(', ')}` : ''}
),
took_part as (
  select ${list(groupOf('p'))}${COUNTS.map((c) => `sum(p.${c}) as ${c}`).join(', ')}
    from participation_rollups p
   where p.day between $1::date and $2::date
   ${cols.length > 0 ? `group by ${cols.join(', ')}` : ''}
),
groups as (${groups}),
joined as (
  select ${list(cols.map((c) => `g.${c}`))}m.model,
         coalesce(e.conversions, 0) as conversions, coalesce(e.revenue, 0) as revenue, coalesce(s.cost, 0) as cost,
         coalesce(e.unpriced, false) or coalesce(s.unpriced, false) as unpriced,
         ${COUNTS.map((c) => `coalesce(p.${c}, 0) as ${c}`).join(', ')}
    from groups g
   cross join unnest($3::text[]) as m(model)
    left join earned e on e.model = m.model${sameGroup('e', 'g')}
    left join spent s on true${sameGroup('s', 'g')}
    left join took_part p on true${sameGroup('p', 'g')}
),
grouped as (
  select ${list(cols)}model, ${total} as total,
         round(sum(conversions)::numeric, 4)::text as conversions,
         round(sum(revenue))::text as revenue_minor,
         round(sum(cost))::text as cost_minor,
         ${COUNTS.map((c) => `sum(${c})::text as ${c}`).join(',\n         ')},
         bool_or(unpriced) as unpriced
    from joined
   group by ${grouping}
)
select g.*${withCampaign ? ', c.name as campaign_name' : ''}
  from grouped g${withCampaign ? ' left join campaigns c on c.id = g.campaign_key' : ''}`;
}
