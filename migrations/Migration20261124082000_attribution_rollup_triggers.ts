import { Migration } from '@mikro-orm/migrations';

/**
 * The roll-ups follow the credits whatever changes them: the attribution's own rewrite, a
 * conversion or touchpoint deleted (credits go with it), a campaign deleted (its credits lose
 * their campaign). Statement-level triggers with transition tables add and take away the sums of
 * each statement's rows in one upsert or update.
 */
export class Migration20261124082000_attribution_rollup_triggers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function attribution_rollups_follow() returns trigger language plpgsql as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    update attribution_rollups r
       set conversions = r.conversions - s.conversions, revenue_minor = r.revenue_minor - s.revenue
      from (select (converted_at at time zone 'UTC')::date as day, coalesce(campaign_id, '00000000-0000-0000-0000-000000000000') as campaign_key,
                   channel, model, currency, sum(credit) as conversions, sum(revenue_minor) as revenue
              from old_credits group by 1, 2, 3, 4, 5) s
     where r.day = s.day and r.campaign_key = s.campaign_key and r.channel = s.channel and r.model = s.model and r.currency = s.currency;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into attribution_rollups (day, campaign_key, channel, model, currency, conversions, revenue_minor)
    select (converted_at at time zone 'UTC')::date, coalesce(campaign_id, '00000000-0000-0000-0000-000000000000'), channel, model, currency, sum(credit), sum(revenue_minor)
      from new_credits group by 1, 2, 3, 4, 5
    on conflict (day, campaign_key, channel, model, currency) do update
      set conversions = attribution_rollups.conversions + excluded.conversions,
          revenue_minor = attribution_rollups.revenue_minor + excluded.revenue_minor;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger attribution_credits_added after insert on attribution_credits
      referencing new table as new_credits for each statement execute function attribution_rollups_follow();`);
    this.addSql(`create trigger attribution_credits_removed after delete on attribution_credits
      referencing old table as old_credits for each statement execute function attribution_rollups_follow();`);
    this.addSql(`create trigger attribution_credits_changed after update on attribution_credits
      referencing old table as old_credits new table as new_credits for each statement execute function attribution_rollups_follow();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger attribution_credits_changed on attribution_credits;');
    this.addSql('drop trigger attribution_credits_removed on attribution_credits;');
    this.addSql('drop trigger attribution_credits_added on attribution_credits;');
    this.addSql('drop function attribution_rollups_follow();');
  }
}
