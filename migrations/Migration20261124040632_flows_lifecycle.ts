import { Migration } from '@mikro-orm/migrations';

export class Migration20261124040632_flows_lifecycle extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "send_rate_slots" ("key" varchar(100) not null, "next_at" timestamptz not null, constraint "send_rate_slots_pkey" primary key ("key"));`);

    this.addSql(`create table "step_runs" ("id" uuid not null, "created_at" timestamptz not null default now(), "idempotency_key" varchar(300) not null, "enrollment_id" uuid not null, "step_id" varchar(64) not null, "step_type" varchar(64) not null, "outcome" jsonb not null default '{}', constraint "step_runs_pkey" primary key ("id"));`);
    this.addSql(`alter table "step_runs" add constraint "step_runs_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "step_runs_enrollment_id_index" on "step_runs" ("enrollment_id");`);

    this.addSql(`alter table "step_runs" add constraint "step_runs_enrollment_id_foreign" foreign key ("enrollment_id") references "enrollments" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "flows" add column "draft" jsonb null, add column "draft_updated_at" timestamptz null;`);

    this.addSql(`alter table "campaigns" add column "scheduled_at" timestamptz null, add column "ends_at" timestamptz null, add column "ended_at" timestamptz null, add column "paused_at" timestamptz null, add column "time_zone" varchar(64) not null default 'UTC', add column "send_rate_per_minute" int null;`);

    this.addSql(`alter table "leads" add column "tags" text[] not null default '{}';`);

    this.addSql(`alter table "enrollments" drop constraint "enrollments_campaign_id_lead_id_unique";`);

    this.addSql(`alter table "enrollments" add column "sequence" int not null default 1;`);
    this.addSql(`alter table "enrollments" add constraint "enrollments_campaign_id_lead_id_sequence_unique" unique ("campaign_id", "lead_id", "sequence");`);

    this.addSql(`alter table "messages" add column "not_before" timestamptz null;`);

    this.addSql(`alter table "templates" add column "kind" varchar(16) not null default 'email', add column "layout_id" uuid null, add column "partial_name" varchar(64) null, add column "missing_variables" varchar(16) not null default 'default', add column "variable_defaults" jsonb not null default '{}';`);
    this.addSql(`alter table "templates" add constraint "templates_layout_id_foreign" foreign key ("layout_id") references "templates" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "templates" add constraint "templates_partial_name_unique" unique ("partial_name");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "send_rate_slots" cascade;`);

    this.addSql(`drop table if exists "step_runs" cascade;`);

    this.addSql(`alter table "templates" drop constraint "templates_layout_id_foreign";`);

    this.addSql(`alter table "campaigns" drop column "scheduled_at", drop column "ends_at", drop column "ended_at", drop column "paused_at", drop column "time_zone", drop column "send_rate_per_minute";`);

    this.addSql(`alter table "enrollments" drop constraint "enrollments_campaign_id_lead_id_sequence_unique";`);
    this.addSql(`alter table "enrollments" drop column "sequence";`);

    this.addSql(`alter table "enrollments" add constraint "enrollments_campaign_id_lead_id_unique" unique ("campaign_id", "lead_id");`);

    this.addSql(`alter table "flows" drop column "draft", drop column "draft_updated_at";`);

    this.addSql(`alter table "leads" drop column "tags";`);

    this.addSql(`alter table "messages" drop column "not_before";`);

    this.addSql(`alter table "templates" drop constraint "templates_partial_name_unique";`);
    this.addSql(`alter table "templates" drop column "kind", drop column "layout_id", drop column "partial_name", drop column "missing_variables", drop column "variable_defaults";`);
  }

}
