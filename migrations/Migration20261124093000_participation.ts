import { Migration } from '@mikro-orm/migrations';

/*
 * Participation roll-ups: enrolled, delivered, opened, clicked, engaged, reached and new leads
 * by day × campaign × channel, kept up to date by statement-level triggers with transition
 * tables, as the attribution roll-ups are. They count what happened: a deleted enrollment,
 * message, touchpoint or lead (an erasure, a cascade) takes nothing away.
 *
 * Distinct leads are counted on the day of their first such touchpoint, which
 * `participation_firsts` (per lead, kind, campaign and channel) and `participation_leads` (per
 * lead, for new leads) remember. A late touchpoint earlier than the recorded first moves the
 * first, and the count from the old day (campaign, channel) to the new one. Two transactions
 * racing on the same first stay right: a first not recorded yet is inserted with `on conflict do
 * nothing`, which waits for the other's insert to commit and then skips; a first to move is
 * locked (in key order) in a statement of its own, so the next statement reads the latest day
 * and no one changes it before this transaction ends. `participation_deliveries` makes a message
 * count once, even when a later statement updates a row that is already `sent`.
 */

const NO_CAMPAIGN = `'00000000-0000-0000-0000-000000000000'::uuid`;
const OPENS = `('open', 'email_open')`;
const CLICKS = `('click', 'email_click')`;
const utcDay = (column: string) => `(${column} at time zone 'UTC')::date`;

/** Adds signed `counts` (column → expression) of `source` rows to the roll-ups, by day, campaign and channel. */
function addToRollups(source: string, day: string, campaign: string, channel: string, counts: Record<string, string>): string {
  const columns = Object.keys(counts);
  return `insert into participation_rollups (day, campaign_key, channel, ${columns.join(', ')})
  select ${day}, ${campaign}, ${channel}, ${columns.map((c) => counts[c]).join(', ')}
    from ${source}
   group by 1, 2, 3
   order by 1, 2, 3
  on conflict (day, campaign_key, channel) do update
    set ${columns.map((c) => `${c} = participation_rollups.${c} + excluded.${c}`).join(', ')};`;
}

/**
 * The statements that count the touchpoints of `touches` (a query of touchpoints that now belong
 * to a lead: id, lead_id, campaign_id, channel, type, occurred_at).
 */
function countTouches(touches: string): string {
  // Each touchpoint is a first candidate of every kind it is: reached always, opened or clicked
  // and engaged by its type. The earliest day per lead, kind, campaign and channel.
  const firsts = `(
    select t.lead_id, k.kind, coalesce(t.campaign_id, ${NO_CAMPAIGN}) as campaign_key, t.channel, min(${utcDay('t.occurred_at')}) as day
      from (${touches}) t
     cross join (values ('reached'), ('opened'), ('clicked'), ('engaged')) as k(kind)
     where k.kind = 'reached'
        or (k.kind in ('opened', 'engaged') and t.type in ${OPENS})
        or (k.kind in ('clicked', 'engaged') and t.type in ${CLICKS})
     group by 1, 2, 3, 4)`;
  // Each lead's earliest touchpoint here (ties broken by id).
  const leads = `(
    select distinct on (t.lead_id) t.lead_id, t.occurred_at as first_at, coalesce(t.campaign_id, ${NO_CAMPAIGN}) as campaign_key, t.channel
      from (${touches}) t
     order by t.lead_id, t.occurred_at, t.id)`;
  const byKind = (value: string) => ({
    opened: `coalesce(sum(${value}) filter (where kind = 'opened'), 0)`,
    clicked: `coalesce(sum(${value}) filter (where kind = 'clicked'), 0)`,
    engaged: `coalesce(sum(${value}) filter (where kind = 'engaged'), 0)`,
    reached: `coalesce(sum(${value}) filter (where kind = 'reached'), 0)`,
  });
  return `
  -- Firsts not recorded yet count on their day.
  with fresh as (
    insert into participation_firsts (lead_id, kind, campaign_key, channel, day)
    select lead_id, kind, campaign_key, channel, day from ${firsts} c order by 1, 2, 3, 4
    on conflict do nothing
    returning kind, campaign_key, channel, day
  )
  ${addToRollups('fresh', 'day', 'campaign_key', 'channel', byKind('1'))}

  -- Firsts recorded on a later day: locked first, then moved with their count.
  perform 1 from participation_firsts f join ${firsts} c using (lead_id, kind, campaign_key, channel)
    where c.day < f.day order by f.lead_id, f.kind, f.campaign_key, f.channel for update of f;
  with moved as (
    update participation_firsts f set day = m.day
      from (select cur.lead_id, cur.kind, cur.campaign_key, cur.channel, cur.day as was, c.day
              from participation_firsts cur join ${firsts} c using (lead_id, kind, campaign_key, channel)
             where c.day < cur.day) m
     where f.lead_id = m.lead_id and f.kind = m.kind and f.campaign_key = m.campaign_key and f.channel = m.channel
    returning m.kind, m.campaign_key, m.channel, m.was, m.day
  ),
  changes as (
    select day, kind, campaign_key, channel, 1 as n from moved
    union all
    select was, kind, campaign_key, channel, -1 from moved
  )
  ${addToRollups('changes', 'day', 'campaign_key', 'channel', byKind('n'))}

  -- New leads: counted once, under their first touchpoint of all.
  with fresh as (
    insert into participation_leads (lead_id, first_at, campaign_key, channel)
    select lead_id, first_at, campaign_key, channel from ${leads} c order by 1
    on conflict do nothing
    returning first_at, campaign_key, channel
  )
  ${addToRollups('fresh', utcDay('first_at'), 'campaign_key', 'channel', { new_leads: 'count(*)' })}

  perform 1 from participation_leads p join ${leads} c using (lead_id)
    where c.first_at < p.first_at order by p.lead_id for update of p;
  with moved as (
    update participation_leads p set first_at = m.first_at, campaign_key = m.campaign_key, channel = m.channel
      from (select cur.lead_id, cur.first_at as was_at, cur.campaign_key as was_campaign, cur.channel as was_channel,
                   c.first_at, c.campaign_key, c.channel
              from participation_leads cur join ${leads} c using (lead_id)
             where c.first_at < cur.first_at) m
     where p.lead_id = m.lead_id
    returning m.*
  ),
  changes as (
    select first_at as moved_at, campaign_key, channel, 1 as n from moved
    union all
    select was_at, was_campaign, was_channel, -1 from moved
  )
  ${addToRollups('changes', utcDay('moved_at'), 'campaign_key', 'channel', { new_leads: 'sum(n)' })}`;
}

/** Touchpoints added with a lead. */
const ADDED_TOUCHES = `select id, lead_id, campaign_id, channel, type, occurred_at from new_touchpoints where lead_id is not null`;
/** Touchpoints given to a lead (an anonymous visitor identified, leads merged). */
const JOINED_TOUCHES = `select n.id, n.lead_id, n.campaign_id, n.channel, n.type, n.occurred_at
    from new_touchpoints n join old_touchpoints o on o.id = n.id
   where n.lead_id is not null and n.lead_id is distinct from o.lead_id`;

/*
 * Delivered: messages the mail server accepted (`sent`), counted when a send batch records its
 * acceptances. The statements that mark messages handed over (one per event-loop turn of the send
 * path) find nothing to count and leave the day's roll-up row alone.
 */
const COUNT_DELIVERIES = `
  if not exists (select 1 from new_messages where status = 'sent') then return null; end if;
  with delivered as (
    insert into participation_deliveries (message_id)
    select id from new_messages where status = 'sent' order by id
    on conflict do nothing
    returning message_id
  ),
  counted as (select n.* from delivered d join new_messages n on n.id = d.message_id)
  ${addToRollups('counted', utcDay('coalesce(sent_at, now())'), 'campaign_id', 'channel', { delivered: 'count(*)' })}`;

const COUNT_ENROLLMENTS = `
  ${addToRollups('new_enrollments e join campaigns c on c.id = e.campaign_id', utcDay('e.created_at'), 'e.campaign_id', 'c.channel', { enrolled: 'count(*)' })}`;

const fn = (name: string, body: string) => `create function ${name}() returns trigger language plpgsql as $$
begin
${body}
  return null;
end $$;`;

/** What the tables hold already, counted as the triggers would have. */
const BACKFILL = [
  `insert into participation_firsts (lead_id, kind, campaign_key, channel, day)
   select t.lead_id, k.kind, coalesce(t.campaign_id, ${NO_CAMPAIGN}), t.channel, min(${utcDay('t.occurred_at')})
     from touchpoints t
    cross join (values ('reached'), ('opened'), ('clicked'), ('engaged')) as k(kind)
    where t.lead_id is not null
      and (k.kind = 'reached'
        or (k.kind in ('opened', 'engaged') and t.type in ${OPENS})
        or (k.kind in ('clicked', 'engaged') and t.type in ${CLICKS}))
    group by 1, 2, 3, 4;`,
  `insert into participation_leads (lead_id, first_at, campaign_key, channel)
   select distinct on (lead_id) lead_id, occurred_at, coalesce(campaign_id, ${NO_CAMPAIGN}), channel
     from touchpoints where lead_id is not null
    order by lead_id, occurred_at, id;`,
  `insert into participation_deliveries (message_id) select id from messages where status = 'sent';`,
  `insert into participation_rollups (day, campaign_key, channel, enrolled, delivered, opened, clicked, engaged, reached, new_leads)
   select day, campaign_key, channel, sum(enrolled), sum(delivered), sum(opened), sum(clicked), sum(engaged), sum(reached), sum(new_leads)
     from (
       select ${utcDay('e.created_at')} as day, e.campaign_id as campaign_key, c.channel,
              1 as enrolled, 0 as delivered, 0 as opened, 0 as clicked, 0 as engaged, 0 as reached, 0 as new_leads
         from enrollments e join campaigns c on c.id = e.campaign_id
       union all
       select ${utcDay('coalesce(sent_at, created_at)')}, campaign_id, channel, 0, 1, 0, 0, 0, 0, 0
         from messages where status = 'sent'
       union all
       select day, campaign_key, channel, 0, 0, (kind = 'opened')::int, (kind = 'clicked')::int, (kind = 'engaged')::int, (kind = 'reached')::int, 0
         from participation_firsts
       union all
       select ${utcDay('first_at')}, campaign_key, channel, 0, 0, 0, 0, 0, 0, 1
         from participation_leads
     ) counted
    group by 1, 2, 3;`,
];

export class Migration20261124093000_participation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "participation_deliveries" ("message_id" uuid not null, constraint "participation_deliveries_pkey" primary key ("message_id"));`);

    this.addSql(`create table "participation_firsts" ("lead_id" uuid not null, "kind" varchar(16) not null, "campaign_key" uuid not null, "channel" varchar(32) not null, "day" date not null, constraint "participation_firsts_pkey" primary key ("lead_id", "kind", "campaign_key", "channel"));`);

    this.addSql(`create table "participation_leads" ("lead_id" uuid not null, "first_at" timestamptz not null, "campaign_key" uuid not null, "channel" varchar(32) not null, constraint "participation_leads_pkey" primary key ("lead_id"));`);

    this.addSql(`create table "participation_rollups" ("day" date not null, "campaign_key" uuid not null, "channel" varchar(32) not null, "enrolled" int not null default 0, "delivered" int not null default 0, "opened" int not null default 0, "clicked" int not null default 0, "engaged" int not null default 0, "reached" int not null default 0, "new_leads" int not null default 0, constraint "participation_rollups_pkey" primary key ("day", "campaign_key", "channel"));`);
    this.addSql(`create index "participation_rollups_campaign_key_day_index" on "participation_rollups" ("campaign_key", "day");`);

    this.addSql(`alter table "participation_deliveries" add constraint "participation_deliveries_message_id_foreign" foreign key ("message_id") references "messages" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "participation_firsts" add constraint "participation_firsts_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "participation_leads" add constraint "participation_leads_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    // The per-campaign report reads one campaign's attribution roll-ups over any range.
    this.addSql(`create index "attribution_rollups_campaign_key_day_index" on "attribution_rollups" ("campaign_key", "day");`);

    this.addSql(fn('participation_touchpoints_added', countTouches(ADDED_TOUCHES)));
    this.addSql(fn('participation_touchpoints_joined', countTouches(JOINED_TOUCHES)));
    this.addSql(fn('participation_messages_delivered', COUNT_DELIVERIES));
    this.addSql(fn('participation_enrollments_added', COUNT_ENROLLMENTS));

    // The triggers come before the backfill: creating them locks the tables against writes until
    // this migration commits, so no row is both backfilled and counted, or neither.
    this.addSql(`create trigger touchpoints_participation_added after insert on touchpoints
      referencing new table as new_touchpoints for each statement execute function participation_touchpoints_added();`);
    this.addSql(`create trigger touchpoints_participation_joined after update on touchpoints
      referencing old table as old_touchpoints new table as new_touchpoints for each statement execute function participation_touchpoints_joined();`);
    this.addSql(`create trigger messages_participation_added after insert on messages
      referencing new table as new_messages for each statement execute function participation_messages_delivered();`);
    this.addSql(`create trigger messages_participation_changed after update on messages
      referencing new table as new_messages for each statement execute function participation_messages_delivered();`);
    this.addSql(`create trigger enrollments_participation_added after insert on enrollments
      referencing new table as new_enrollments for each statement execute function participation_enrollments_added();`);

    for (const statement of BACKFILL) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger enrollments_participation_added on enrollments;');
    this.addSql('drop trigger messages_participation_changed on messages;');
    this.addSql('drop trigger messages_participation_added on messages;');
    this.addSql('drop trigger touchpoints_participation_joined on touchpoints;');
    this.addSql('drop trigger touchpoints_participation_added on touchpoints;');
    this.addSql('drop function participation_enrollments_added();');
    this.addSql('drop function participation_messages_delivered();');
    this.addSql('drop function participation_touchpoints_joined();');
    this.addSql('drop function participation_touchpoints_added();');

    this.addSql('drop index "attribution_rollups_campaign_key_day_index";');

    this.addSql('drop table if exists "participation_rollups" cascade;');
    this.addSql('drop table if exists "participation_leads" cascade;');
    this.addSql('drop table if exists "participation_firsts" cascade;');
    this.addSql('drop table if exists "participation_deliveries" cascade;');
  }
}
