import type { Client } from 'pg';
import { formatMinor, minorDigits, roi } from '@ce/money';

/** The figures compared between the report and the baseline, for one channel (or the total) and model. */
export interface RoiFigures {
  conversions: number;
  revenue: string;
  cost: string;
  roi: number | null;
}

/** Figures by `channel|model`, and totals by `(total)|model`. */
export type RoiAnswer = Map<string, RoiFigures>;

export interface RoiQuestion {
  from: string;
  to: string;
  models: string[];
  currency: string;
}

/**
 * The baseline: ROI by channel and model computed from the raw credits in one statement, without
 * the roll-ups. Credits carry their conversion's time and currency, so no join to conversions is
 * needed: the day range is a range of `converted_at` (UTC days). Each day's revenue and costs are
 * converted to the reporting currency as the report converts them (the latest rate on or before
 * the day, exact numeric, minor digits of both currencies), summed per channel and model and per
 * model, and rounded once to whole minor units, halves away from zero.
 */
const FROM_CREDITS_SQL = `
with
earned as (
  select channel, model, currency, (converted_at at time zone 'UTC')::date as day, sum(credit) as conversions, sum(revenue_minor) as amount
    from attribution_credits
   where converted_at >= $1::date::timestamp at time zone 'UTC' and converted_at < ($2::date + 1)::timestamp at time zone 'UTC'
     and model = any($3::text[])
   group by 1, 2, 3, 4
),
spent as (
  select channel, currency, day, sum(amount_minor) as amount from costs where day between $1::date and $2::date group by 1, 2, 3
),
digits as (select * from unnest($5::text[], $6::int[]) as d(currency, digits)),
factors as (
  select p.currency, p.day,
         case when p.currency = $4::text then 1::numeric
              else own.rate * power(10::numeric, (select digits from digits where currency = $4::text) - d.digits) / reporting.rate end as factor
    from (select currency, day from earned union select currency, day from spent) p
    join digits d on d.currency = p.currency
    cross join lateral (
      select case when p.currency = 'EUR' then 1::numeric
                  else (select r.rate from currency_rates r where r.currency = p.currency and r.day <= p.day order by r.day desc limit 1) end as rate
    ) own
    cross join lateral (
      select case when $4::text = 'EUR' then 1::numeric
                  else (select r.rate from currency_rates r where r.currency = $4::text and r.day <= p.day order by r.day desc limit 1) end as rate
    ) reporting
),
figures as (
  select e.channel, e.model, e.conversions, e.amount * f.factor as revenue, 0::numeric as cost
    from earned e join factors f using (currency, day)
  union all
  select s.channel, m.model, 0, 0, s.amount * f.factor
    from spent s join factors f using (currency, day) cross join unnest($3::text[]) as m(model)
)
select case when grouping(channel) = 1 then '(total)' else channel end as channel, model,
       round(sum(conversions)::numeric, 4)::text as conversions, round(sum(revenue))::text as revenue_minor, round(sum(cost))::text as cost_minor
  from figures
 group by grouping sets ((channel, model), (model))`;

/** Runs the baseline statement. */
export async function roiFromCredits(client: Client, question: RoiQuestion, currencies: readonly string[]): Promise<RoiAnswer> {
  const codes = [...new Set([...currencies, question.currency])];
  const { rows } = await client.query<{ channel: string; model: string; conversions: string; revenue_minor: string; cost_minor: string }>(FROM_CREDITS_SQL, [
    question.from,
    question.to,
    question.models,
    question.currency,
    codes,
    codes.map((code) => minorDigits(code)),
  ]);
  const answer: RoiAnswer = new Map();
  for (const r of rows) {
    const revenue = BigInt(r.revenue_minor);
    const cost = BigInt(r.cost_minor);
    answer.set(`${r.channel}|${r.model}`, {
      conversions: Number(r.conversions),
      revenue: formatMinor(revenue, question.currency),
      cost: formatMinor(cost, question.currency),
      roi: roi(revenue, cost),
    });
  }
  return answer;
}

/** The report's rows and totals in the same shape. */
export function answerOfReport(report: {
  rows: { channel?: string; model: string; conversions: number; revenue: string; cost: string; roi: number | null }[];
  totals: { model: string; conversions: number; revenue: string; cost: string; roi: number | null }[];
}): RoiAnswer {
  const answer: RoiAnswer = new Map();
  const figures = (r: RoiFigures): RoiFigures => ({ conversions: r.conversions, revenue: r.revenue, cost: r.cost, roi: r.roi });
  for (const r of report.rows) answer.set(`${r.channel}|${r.model}`, figures(r));
  for (const t of report.totals) answer.set(`(total)|${t.model}`, figures(t));
  return answer;
}

/**
 * Where two answers differ, as lines; a group one answer lacks counts as zeros (the report lists
 * every channel under every model asked for, the baseline only those with figures).
 */
export function differences(report: RoiAnswer, baseline: RoiAnswer, currency: string): string[] {
  const zero: RoiFigures = { conversions: 0, revenue: formatMinor(0n, currency), cost: formatMinor(0n, currency), roi: null };
  const lines: string[] = [];
  for (const key of new Set([...report.keys(), ...baseline.keys()])) {
    const a = JSON.stringify(report.get(key) ?? zero);
    const b = JSON.stringify(baseline.get(key) ?? zero);
    if (a !== b) lines.push(`${key}: report ${a}, from credits ${b}`);
  }
  return lines.sort();
}
