import type { Client } from 'pg';

export interface AttributionSize {
  conversions: number;
  /** Rows in attribution_credits: between 9 and 15 per conversion. */
  credits: number;
}

/** The year the conversions fall in (UTC days), and the costs with them. */
export const YEAR = { from: '2025-01-01', to: '2025-12-31' };
/** Currencies of leads (and so of their conversions) and of campaigns; rates are stored for all but EUR. */
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY'] as const;

/** Twelve channels: eight that campaigns run in, four that belong to no campaign. */
const CAMPAIGN_CHANNELS = ['email', 'paid_search', 'paid_social', 'display', 'affiliate', 'webinar', 'events', 'direct_mail'];
const OTHER_CHANNELS = ['organic_search', 'organic_social', 'referral', 'direct'];
export const CHANNELS = [...CAMPAIGN_CHANNELS, ...OTHER_CHANNELS];
/** How often a touch is in each channel (relative, by CHANNELS' order). */
const CHANNEL_FREQUENCY = [4, 4, 3, 2, 1, 1, 1, 1, 3, 1, 1, 2];
const CAMPAIGNS_PER_CHANNEL = 6;
/** Channel weights of the data-driven models, as a refresh would have stored them (CHANNELS' order). */
const MARKOV_WEIGHTS = [0.31, 0.24, 0.12, 0.05, 0.03, 0.06, 0.04, 0.02, 0.18, 0.04, 0.05, 0.01];
const SHAPLEY_WEIGHTS = [0.22, 0.2, 0.1, 0.06, 0.04, 0.07, 0.05, 0.03, 0.14, 0.04, 0.04, 0.01];
/** Rates in EUR around which each currency's daily rate moves. */
const RATE_LEVELS: Record<string, number> = { USD: 0.92, GBP: 1.17, JPY: 0.0062 };

/**
 * Fills a migrated database with what the ROI report reads, inside PostgreSQL with
 * generate_series (no row crosses the wire): 48 campaigns in eight channels with a cost per
 * campaign and day of the year in the campaign's currency, daily rates for USD, GBP and JPY,
 * leads in four currencies, the conversions spread over the year, their touchpoints (one or two
 * each, in the 90 days before) and their credits under all nine models, inserted in chunks so
 * that the roll-up triggers sum each chunk as the attribution's own writes would be summed.
 *
 * Credits of one conversion under one model add up to 1 and their revenue to the conversion's
 * value (in whole minor units). Shares are multiples of 1/1024: sums of such floats are exact in
 * any order, so the report from the roll-ups and the one from raw credits can be compared exactly.
 * A one-touch conversion has 9 credits, a two-touch one 15 (14 when Markov gives one of its
 * touches nothing); the mix is chosen to make exactly `credits` rows.
 */
export async function generateAttribution(client: Client, size: AttributionSize, log: (line: string) => void): Promise<void> {
  const { conversions: n } = size;
  const extra = size.credits - 9 * n;
  if (extra < 0 || extra > 6 * n) throw new Error(`--credits must be between 9 and 15 times --conversions (${9 * n} to ${15 * n})`);
  // twoTouch conversions of 15 credits, of which `markovSingle` have 14: 9n + 6·twoTouch − markovSingle = credits.
  const twoTouch = Math.ceil(extra / 6);
  const markovSingle = 6 * twoTouch - extra;
  if (markovSingle > twoTouch) throw new Error(`--credits cannot be ${size.credits}: choose at least ${9 * n + 5} or exactly ${9 * n}`);
  const spread = coprimeMultiplier(n);
  const leads = Math.ceil(n / 2);

  log(`generating ${CAMPAIGN_CHANNELS.length * CAMPAIGNS_PER_CHANNEL} campaigns, their daily costs and a year of rates`);
  await client.query(`insert into flows (id, name) values (md5('flow')::uuid, 'ROI bench')`);
  await client.query(
    `insert into campaigns (id, name, flow_id, channel, status, audience, currency)
     select md5('campaign:' || c)::uuid, 'Campaign ' || lpad(c::text, 2, '0') || ' ' || ($1::text[])[1 + c / $2], md5('flow')::uuid,
            ($1::text[])[1 + c / $2], 'running', '{}', ($3::text[])[1 + c % 4]
     from generate_series(0, $4::int - 1) c`,
    [CAMPAIGN_CHANNELS, CAMPAIGNS_PER_CHANNEL, CURRENCIES, CAMPAIGN_CHANNELS.length * CAMPAIGNS_PER_CHANNEL],
  );
  await client.query(
    `insert into costs (id, campaign_id, channel, day, amount_minor, currency)
     select gen_random_uuid(), c.id, c.channel, d::date, 100000 + (hashtext(c.id::text || d::text) & 262143), c.currency
     from campaigns c cross join generate_series($1::date::timestamp, $2::date::timestamp, interval '1 day') d`,
    [YEAR.from, YEAR.to],
  );
  await client.query(
    `insert into currency_rates (currency, day, rate)
     select r.currency, d::date, round((r.level * (1 + 0.03 * sin(extract(epoch from d) / 2505600)))::numeric, 6 + (r.level < 0.1)::int * 4)
     from unnest($1::text[], $2::float8[]) as r(currency, level)
     cross join generate_series(($3::date - 31)::timestamp, $4::date::timestamp, interval '1 day') d`,
    [Object.keys(RATE_LEVELS), Object.values(RATE_LEVELS), YEAR.from, YEAR.to],
  );
  await client.query(
    `insert into attribution_weights (model, channel, weight, computed_at)
     select 'markov', c, w, now() from unnest($1::text[], $2::float8[]) as x(c, w)
     union all select 'shapley', c, w, now() from unnest($1::text[], $3::float8[]) as x(c, w)`,
    [CHANNELS, MARKOV_WEIGHTS, SHAPLEY_WEIGHTS],
  );

  log(`generating ${leads} leads and ${n} conversions`);
  await client.query(
    `insert into leads (id, email, attributes, lifecycle_stage, created_at, updated_at)
     select md5('lead:' || l)::uuid, 'roi' || l || '@example.com', '{}', 'customer', timestamptz '2024-09-01' + (l % 86400) * interval '1 second', now()
     from generate_series(1, $1::int) l`,
    [leads],
  );
  await createPlan(client, { n, leads, twoTouch, markovSingle, spread });
  await client.query(
    `insert into conversions (id, lead_id, type, value_minor, currency, occurred_at, external_id)
     select conversion_id, md5('lead:' || lead_n)::uuid, case when value_minor = 0 then 'signup' else 'purchase' end,
            value_minor, currency, at, 'bench:' || g
     from bench_plan`,
  );
  log(`generating ${n + twoTouch} touchpoints`);
  await client.query(
    `insert into touchpoints (id, lead_id, campaign_id, channel, type, occurred_at, properties)
     select t.id, md5('lead:' || p.lead_n)::uuid, t.campaign_id, t.channel, case when t.channel = 'email' then 'click' else 'visit' end, t.at, '{}'
     from bench_plan p
     cross join lateral (select p.t1_id as id, p.camp1 as campaign_id, p.ch1 as channel, p.t1_at as at
                         union all select p.t2_id, p.camp2, p.ch2, p.t2_at where p.two) t`,
  );

  log(`generating ${size.credits} credits`);
  const chunk = 100_000;
  for (let from = 1; from <= n; from += chunk) {
    const started = Date.now();
    const to = Math.min(n, from + chunk - 1);
    await client.query(CREDITS_SQL, [from, to, MARKOV_WEIGHTS, SHAPLEY_WEIGHTS]);
    log(`  conversions ${from}–${to}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await client.query('drop table bench_plan');
  log('vacuum analyze');
  for (const table of ['attribution_credits', 'attribution_rollups', 'attribution_channel_rollups', 'costs', 'currency_rates', 'conversions', 'touchpoints', 'leads', 'campaigns'])
    await client.query(`vacuum analyze ${table}`);
}

/**
 * One row per conversion with everything its rows need: ids made from its number, its lead, time,
 * value and currency, and its one or two touches (channel, campaign, time, id). Two touches for
 * the `twoTouch` conversions whose spread position is lowest; the first `markovSingle` of them
 * have Markov give all to the last touch.
 */
async function createPlan(client: Client, p: { n: number; leads: number; twoTouch: number; markovSingle: number; spread: number }): Promise<void> {
  const pool = CHANNEL_FREQUENCY.flatMap((times, i) => Array<number>(times).fill(i + 1));
  // Independent pseudo-random choices per conversion (a channel, a campaign, a delay), from a hash of a tag and the number.
  const hash = (tag: string, of = 'g') => `(hashtext('${tag}:' || ${of}) & 2147483647)`;
  await client.query(
    `create temp table bench_plan as
     select g, lead_n, md5('conversion:' || g)::uuid as conversion_id, at, currency,
            case when g % 40 = 0 then 0 else 1000 + ${hash('value')} % 49000 end as value_minor,
            position < $4 as two, position < $5 as markov_single,
            c1, ($7::text[])[c1] as ch1, md5('touch:' || g || ':1')::uuid as t1_id,
            case when c1 <= $8 then md5('campaign:' || ((c1 - 1) * $9 + ${hash('campaign1')} % $9))::uuid end as camp1,
            at - (last_delay + 86400 + ${hash('gap')} % 4320000) * interval '1 second' as t1_at,
            c2, ($7::text[])[c2] as ch2, md5('touch:' || g || ':2')::uuid as t2_id,
            case when c2 <= $8 then md5('campaign:' || ((c2 - 1) * $9 + ${hash('campaign2')} % $9))::uuid end as camp2,
            at - last_delay * interval '1 second' as t2_at
     from (
       select g, lead_n, (g::bigint * $3) % $1 as position,
              timestamptz '${YEAR.from} 00:00:00Z' + ${hash('at')} % 31536000 * interval '1 second' as at,
              ${hash('delay')} % 2592000 as last_delay,
              ($10::text[])[1 + (${hash('currency', 'lead_n')} % 20 >= 10)::int + (${hash('currency', 'lead_n')} % 20 >= 16)::int
                            + (${hash('currency', 'lead_n')} % 20 = 19)::int] as currency,
              ($6::int[])[1 + ${hash('channel1')} % $11] as c1, ($6::int[])[1 + ${hash('channel2')} % $11] as c2
       from (select g, 1 + ${hash('lead')} % $2 as lead_n from generate_series(1, $1::int) g) numbered
     ) x`,
    [p.n, p.leads, p.spread, p.twoTouch, p.markovSingle, pool, CHANNELS, CAMPAIGN_CHANNELS.length, CAMPAIGNS_PER_CHANNEL, CURRENCIES, pool.length],
  );
  await client.query('create unique index on bench_plan (g); analyze bench_plan');
}

/**
 * Every credit of conversions $1–$2. Per model, q1 is the first touch's share in 1/1024 (the
 * last touch has the rest): first touch all; last touch none; last non-direct all unless the
 * last touch is direct and the first is not; linear and position-based half; W-shaped 2/3 (the
 * first touch is also the lead-creation touch); time decay 2^(−Δt / 7 days) normalised; Markov
 * and Shapley the channels' weights normalised. Revenue: the first touch's share of the value
 * rounded, the last touch the rest.
 */
const CREDITS_SQL = `
insert into attribution_credits (conversion_id, model, touchpoint_id, campaign_id, channel, credit, revenue_minor, currency, converted_at)
select p.conversion_id, m.model,
       case when t.touch = 1 then p.t1_id else p.t2_id end,
       case when t.touch = 1 then p.camp1 else p.camp2 end,
       case when t.touch = 1 then p.ch1 else p.ch2 end,
       t.q::float8 / 1024,
       case when t.touch = 1 then (p.value_minor * m.q1 + 512) / 1024 else p.value_minor - (p.value_minor * m.q1 + 512) / 1024 end,
       p.currency, p.at
from bench_plan p
cross join lateral (values
  ('first_touch', 1024),
  ('last_touch', case when p.two then 0 else 1024 end),
  ('last_non_direct', case when not p.two or (p.ch2 = 'direct' and p.ch1 <> 'direct') then 1024 else 0 end),
  ('linear', case when p.two then 512 else 1024 end),
  ('time_decay', case when p.two then greatest(1, least(1023, round(1024 / (1 + power(2, extract(epoch from p.t2_at - p.t1_at) / 604800)))))::int else 1024 end),
  ('position_based', case when p.two then 512 else 1024 end),
  ('w_shaped', case when p.two then 683 else 1024 end),
  ('markov', case when not p.two then 1024 when p.markov_single then 0
                  else greatest(1, least(1023, round(1024 * ($3::float8[])[p.c1] / (($3::float8[])[p.c1] + ($3::float8[])[p.c2]))))::int end),
  ('shapley', case when p.two then greatest(1, least(1023, round(1024 * ($4::float8[])[p.c1] / (($4::float8[])[p.c1] + ($4::float8[])[p.c2]))))::int else 1024 end)
) m(model, q1)
cross join lateral (select 1 as touch, m.q1 as q union all select 2, 1024 - m.q1 where p.two) t
where p.g between $1 and $2 and t.q > 0`;

/** A prime that does not divide n: multiplying by it modulo n visits every position once. */
function coprimeMultiplier(n: number): number {
  for (const prime of [7919, 7907, 7901, 7883, 7879]) if (n % prime !== 0) return prime;
  return 1;
}
