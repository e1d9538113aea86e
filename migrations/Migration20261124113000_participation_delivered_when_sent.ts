import { Migration } from '@mikro-orm/migrations';

/**
 * The function behind the messages' participation triggers, counting messages that reached
 * `statuses`: each once (`participation_deliveries`), on the day of its `sent_at` (or today).
 * With only `sent`, a statement that marks messages handed over finds nothing to count and
 * leaves the day's roll-up row alone.
 */
function countDeliveries(statuses: string[]): string {
  const wanted = statuses.map((s) => `'${s}'`).join(', ');
  return `create or replace function participation_messages_delivered() returns trigger language plpgsql as $$
begin
  if not exists (select 1 from new_messages where status in (${wanted})) then return null; end if;
  with delivered as (
    insert into participation_deliveries (message_id)
    select id from new_messages where status in (${wanted}) order by id
    on conflict do nothing
    returning message_id
  ),
  counted as (select n.* from delivered d join new_messages n on n.id = d.message_id)
  insert into participation_rollups (day, campaign_key, channel, delivered)
  select (coalesce(sent_at, now()) at time zone 'UTC')::date, campaign_id, channel, count(*)
    from counted
   group by 1, 2, 3
   order by 1, 2, 3
  on conflict (day, campaign_key, channel) do update
    set delivered = participation_rollups.delivered + excluded.delivered;
  return null;
end $$;`;
}

/**
 * Delivered messages are counted when the mail server's acceptance is recorded (`sent`, once
 * per send batch), no longer at each hand-over mark (a statement per event-loop turn of the send
 * path, all of a campaign's batches adding to the same roll-up row). A message whose acceptance
 * was never heard (left `handed_over`) is no longer counted.
 */
export class Migration20261124113000_participation_delivered_when_sent extends Migration {
  override async up(): Promise<void> {
    this.addSql(countDeliveries(['sent']));
  }

  override async down(): Promise<void> {
    this.addSql(countDeliveries(['handed_over', 'sent']));
  }
}
