/*
 * The funnel report in one statement. Parameters: $1 from, $2 to (dates, inclusive, UTC days),
 * $3 the funnel's stages in order (text[]); by campaign, $4 the campaign id.
 *
 * A lead's history is its stage at creation (entered at `leads.created_at`) followed by its
 * `stage_changed` lead events in time order (`data.to` entered at `occurred_at`). No event is
 * written at creation: the initial stage is the first change's `data.from`, or the current stage
 * of a lead that never changed. Events are read per cohort lead through the partial index on
 * (lead_id, occurred_at) of stage changes.
 *
 * A visit is a stretch in one stage, from entering it to the next change. Stages are ranked by
 * their position in $3; `disqualified` has no rank.
 * - A lead reached every funnel stage up to the highest-ranked stage it ever held.
 * - A visit is a sample of time in its stage when it ended with a move to a higher-ranked stage;
 *   each lead gives at most one sample per stage, its first such visit. Visits that ended by a
 *   move back, by disqualification, or not yet, give none.
 */

const from = `$1::date::timestamp at time zone 'UTC'`;
const until = `($2::date + 1)::timestamp at time zone 'UTC'`;

/** The leads created in the range. */
const CREATED_IN_RANGE = `
  select l.id, l.created_at, l.lifecycle_stage from leads l
   where l.created_at >= ${from} and l.created_at < ${until}`;

/** The leads with an enrollment in campaign $4 made in the range (a lead enrolled twice counts once). */
const ENROLLED_IN_RANGE = `
  select l.id, l.created_at, l.lifecycle_stage from leads l
   where l.id in (select e.lead_id from enrollments e
                   where e.campaign_id = $4::uuid and e.created_at >= ${from} and e.created_at < ${until})`;

export function funnelReportSql(byCampaign: boolean): string {
  return `
with
cohort as (${byCampaign ? ENROLLED_IN_RANGE : CREATED_IN_RANGE}),
changes as (
  select ev.lead_id, ev.occurred_at as at, ev.data ->> 'from' as from_stage, ev.data ->> 'to' as stage,
         row_number() over (partition by ev.lead_id order by ev.occurred_at, ev.created_at, ev.id) as seq
    from cohort c join lead_events ev on ev.lead_id = c.id and ev.type = 'stage_changed'
),
entries as (
  select c.id as lead_id, c.created_at as at, coalesce(f.from_stage, c.lifecycle_stage) as stage, 0::bigint as seq
    from cohort c left join changes f on f.lead_id = c.id and f.seq = 1
  union all
  select lead_id, at, stage, seq from changes
),
marked as (
  select lead_id, at, stage, seq, lag(stage) over (partition by lead_id order by seq) as before from entries
),
visits as (
  select lead_id, at, array_position($3::text[], stage) as rank,
         array_position($3::text[], lead(stage) over w) as next_rank, lead(at) over w as left_at
    from marked
   where before is distinct from stage
  window w as (partition by lead_id order by seq)
),
tops as materialized (
  select top, count(*) as n from (select max(rank) as top from visits group by lead_id) t where top is not null group by top
),
samples as (
  select distinct on (lead_id, rank) rank, greatest(extract(epoch from left_at - at), 0)::float8 / 86400 as days
    from visits
   where next_rank > rank
   order by lead_id, rank, at
),
medians as (
  select rank, percentile_cont(0.5) within group (order by days) as days from samples group by rank
),
now_in as (select lifecycle_stage as stage, count(*) as n from cohort group by lifecycle_stage)
select s.stage,
       coalesce((select sum(t.n) from tops t where t.top >= s.rank), 0)::int as reached,
       coalesce(i.n, 0)::int as still_in,
       round(m.days::numeric, 2)::text as median_days,
       (select count(*) from cohort)::int as leads,
       coalesce((select n from now_in where stage = 'disqualified'), 0)::int as disqualified
  from unnest($3::text[]) with ordinality as s(stage, rank)
  left join now_in i on i.stage = s.stage
  left join medians m on m.rank = s.rank
 order by s.rank`;
}
