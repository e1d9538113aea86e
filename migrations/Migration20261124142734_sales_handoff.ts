import { Migration } from '@mikro-orm/migrations';

/**
 * Sales hand-off: reps (and the sales key that belongs to one), the routing settings (one row),
 * the hand-offs, one per move to MQL, made by a trigger on the timeline whatever moved the lead,
 * and the ledger of their notifications.
 */
export class Migration20261124142734_sales_handoff extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "handoff_notices" ("id" uuid not null, "created_at" timestamptz not null default now(), "handoff_id" uuid not null, "rep_id" uuid not null, "channel" varchar(16) not null, "status" varchar(16) not null default 'sending', "sent_at" timestamptz null, "error" text null, constraint "handoff_notices_pkey" primary key ("id"));`);
    this.addSql(`alter table "handoff_notices" add constraint "handoff_notices_handoff_id_rep_id_channel_unique" unique ("handoff_id", "rep_id", "channel");`);

    this.addSql(`create table "handoffs" ("id" uuid not null, "created_at" timestamptz not null default now(), "lead_id" uuid not null, "stage_event_id" uuid not null, "status" varchar(16) not null default 'routing', "rep_id" uuid null, "assigned_at" timestamptz null, "due_at" timestamptz null, "decided_at" timestamptz null, "reason" text null, "disposition" varchar(16) null, "reassignments" int not null default 0, "started_at" timestamptz null, constraint "handoffs_pkey" primary key ("id"));`);
    this.addSql(`create index "handoffs_lead_id_index" on "handoffs" ("lead_id");`);
    this.addSql(`alter table "handoffs" add constraint "handoffs_stage_event_id_unique" unique ("stage_event_id");`);
    this.addSql(`create index "handoffs_rep_id_status_index" on "handoffs" ("rep_id", "status");`);

    this.addSql(`create table "routing_settings" ("id" smallint not null default 1, "rules" jsonb not null, "sla_minutes" int not null default 240, "on_sla_breach" varchar(16) not null default 'reassign', "max_reassignments" int not null default 2, "escalation_email" varchar(320) null, "webhook_url" text null, "email_subject" text null, "email_text" text null, "updated_at" timestamptz not null default now(), "updated_by_key_id" uuid null, constraint "routing_settings_pkey" primary key ("id"));`);

    this.addSql(`create table "sales_reps" ("id" uuid not null, "created_at" timestamptz not null default now(), "name" varchar(200) not null, "email" varchar(320) not null, "active" boolean not null default true, "capacity" int null, "webhook_url" text null, "last_assigned_at" timestamptz null, constraint "sales_reps_pkey" primary key ("id"));`);

    this.addSql(`alter table "handoffs" add constraint "handoffs_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "api_keys" add column "sales_rep_id" uuid null;`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_sales_rep_id_foreign" foreign key ("sales_rep_id") references "sales_reps" ("id") on update cascade on delete set null;`);

    this.addSql(`insert into "routing_settings" ("id", "rules") values (1, '[]'::jsonb);`);
    this.addSql(`create function handoff_on_mql() returns trigger language plpgsql as $$
  begin
    insert into handoffs (id, lead_id, stage_event_id)
    select gen_random_uuid(), lead_id, id from new_rows where type = 'stage_changed' and data->>'to' = 'mql'
    on conflict (stage_event_id) do nothing;
    return null;
  end $$;`);
    this.addSql(`create trigger lead_events_handoff after insert on lead_events referencing new table as new_rows for each statement execute function handoff_on_mql();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists lead_events_handoff on lead_events;`);
    this.addSql(`drop function if exists handoff_on_mql();`);
    this.addSql(`alter table "api_keys" drop constraint "api_keys_sales_rep_id_foreign";`);

    this.addSql(`drop table if exists "handoff_notices" cascade;`);

    this.addSql(`drop table if exists "handoffs" cascade;`);

    this.addSql(`drop table if exists "routing_settings" cascade;`);

    this.addSql(`drop table if exists "sales_reps" cascade;`);

    this.addSql(`alter table "api_keys" drop column "sales_rep_id";`);
  }

}
