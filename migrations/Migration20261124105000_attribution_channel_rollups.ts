import { Migration } from '@mikro-orm/migrations';

const NO_CAMPAIGN = `'00000000-0000-0000-0000-000000000000'`;

/**
 * The roll-up trigger function: both roll-ups follow every statement on the credits. Roll-up rows
 * are locked in key order (those taken from by a lock statement of their own, those added to by
 * an ordered insert), so two statements on the same rows wait for each other instead of
 * deadlocking.
 */
function followFunction(withChannelRollups: boolean): string {
  const channelSide = (sign: '+' | '-', source: string) => `
    insert into attribution_channel_rollups (model, day, channel, currency, conversions, revenue_minor)
    select model, (converted_at at time zone 'UTC')::date, channel, currency, ${sign}sum(credit), ${sign}sum(revenue_minor)
      from ${source} group by 1, 2, 3, 4
     order by 1, 2, 3, 4
    on conflict (model, day, channel, currency) do update
      set conversions = attribution_channel_rollups.conversions + excluded.conversions,
          revenue_minor = attribution_channel_rollups.revenue_minor + excluded.revenue_minor;`;
  return `create or replace function attribution_rollups_follow() returns trigger language plpgsql as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    perform 1 from attribution_rollups r
      join (select distinct (converted_at at time zone 'UTC')::date as day, coalesce(campaign_id, ${NO_CAMPAIGN}) as campaign_key, channel, model, currency
              from old_credits) s using (day, campaign_key, channel, model, currency)
     order by r.day, r.campaign_key, r.channel, r.model, r.currency
       for update of r;
    update attribution_rollups r
       set conversions = r.conversions - s.conversions, revenue_minor = r.revenue_minor - s.revenue
      from (select (converted_at at time zone 'UTC')::date as day, coalesce(campaign_id, ${NO_CAMPAIGN}) as campaign_key,
                   channel, model, currency, sum(credit) as conversions, sum(revenue_minor) as revenue
              from old_credits group by 1, 2, 3, 4, 5) s
     where r.day = s.day and r.campaign_key = s.campaign_key and r.channel = s.channel and r.model = s.model and r.currency = s.currency;${withChannelRollups ? channelSide('-', 'old_credits') : ''}
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into attribution_rollups (day, campaign_key, channel, model, currency, conversions, revenue_minor)
    select (converted_at at time zone 'UTC')::date, coalesce(campaign_id, ${NO_CAMPAIGN}), channel, model, currency, sum(credit), sum(revenue_minor)
      from new_credits group by 1, 2, 3, 4, 5
     order by 1, 2, 3, 4, 5
    on conflict (day, campaign_key, channel, model, currency) do update
      set conversions = attribution_rollups.conversions + excluded.conversions,
          revenue_minor = attribution_rollups.revenue_minor + excluded.revenue_minor;${withChannelRollups ? channelSide('+', 'new_credits') : ''}
  end if;
  return null;
end $$;`;
}

/**
 * A second roll-up of the credits without the campaign (model × day × channel × currency), for
 * reports by channel and of totals: over a year it has a fraction of `attribution_rollups`' rows
 * (those multiply by campaigns), and with the model leading its key one model's range is one
 * index range. The same statement-level triggers keep it, in the same statements as the first;
 * it is filled from the first roll-up here.
 */
export class Migration20261124105000_attribution_channel_rollups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "attribution_channel_rollups" ("model" varchar(32) not null, "day" date not null, "channel" varchar(32) not null, "currency" varchar(3) not null, "conversions" double precision not null default 0, "revenue_minor" bigint not null default '0', constraint "attribution_channel_rollups_pkey" primary key ("model", "day", "channel", "currency"));`);
    this.addSql(`insert into attribution_channel_rollups (model, day, channel, currency, conversions, revenue_minor)
      select model, day, channel, currency, sum(conversions), sum(revenue_minor) from attribution_rollups group by 1, 2, 3, 4;`);
    this.addSql(followFunction(true));
  }

  override async down(): Promise<void> {
    this.addSql(followFunction(false));
    this.addSql(`drop table if exists "attribution_channel_rollups" cascade;`);
  }
}
