import { Migration } from '@mikro-orm/migrations';

export class Migration20261124025147_audience extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "attribute_definitions" ("id" uuid not null, "created_at" timestamptz not null default now(), "name" varchar(63) not null, "label" varchar(200) null, "type" varchar(16) not null, "required" boolean not null default false, "options" jsonb null, constraint "attribute_definitions_pkey" primary key ("id"));`);
    this.addSql(`alter table "attribute_definitions" add constraint "attribute_definitions_name_unique" unique ("name");`);

    this.addSql(`create table "audit_log" ("id" uuid not null, "created_at" timestamptz not null default now(), "actor_key_id" uuid null, "action" varchar(64) not null, "entity_type" varchar(64) not null, "entity_id" uuid not null, "data" jsonb not null, constraint "audit_log_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_log_entity_type_entity_id_index" on "audit_log" ("entity_type", "entity_id");`);

    this.addSql(`create table "campaign_audience" ("campaign_id" uuid not null, "lead_id" uuid not null, constraint "campaign_audience_pkey" primary key ("campaign_id", "lead_id"));`);

    this.addSql(`create table "lead_consents" ("id" uuid not null, "created_at" timestamptz not null default now(), "lead_id" uuid not null, "channel" varchar(16) not null, "status" varchar(16) not null, "changed_at" timestamptz not null, "source" varchar(64) not null, constraint "lead_consents_pkey" primary key ("id"));`);
    this.addSql(`alter table "lead_consents" add constraint "lead_consents_lead_id_channel_unique" unique ("lead_id", "channel");`);

    this.addSql(`create table "lead_events" ("id" uuid not null, "created_at" timestamptz not null default now(), "lead_id" uuid not null, "type" varchar(32) not null, "occurred_at" timestamptz not null, "data" jsonb not null, constraint "lead_events_pkey" primary key ("id"));`);
    this.addSql(`create index "lead_events_lead_id_occurred_at_index" on "lead_events" ("lead_id", "occurred_at");`);

    this.addSql(`create table "lead_external_ids" ("id" uuid not null, "created_at" timestamptz not null default now(), "lead_id" uuid not null, "source" varchar(64) not null, "external_id" varchar(200) not null, constraint "lead_external_ids_pkey" primary key ("id"));`);
    this.addSql(`create index "lead_external_ids_lead_id_index" on "lead_external_ids" ("lead_id");`);
    this.addSql(`alter table "lead_external_ids" add constraint "lead_external_ids_source_external_id_unique" unique ("source", "external_id");`);

    this.addSql(`create table "lead_imports" ("id" uuid not null, "created_at" timestamptz not null default now(), "name" varchar(200) not null, "format" varchar(8) not null, "mapping" jsonb not null, "status" varchar(16) not null default 'awaiting_file', "file_path" text null, "bytes" bigint not null default '0', "rows_read" int not null default 0, "imported" int not null default 0, "updated" int not null default 0, "unchanged" int not null default 0, "rejected" int not null default 0, "error" text null, "finished_at" timestamptz null, constraint "lead_imports_pkey" primary key ("id"));`);

    this.addSql(`create table "lead_import_rejections" ("lead_import_id" uuid not null, "row_number" int not null, "reason" text not null, "raw" text not null, constraint "lead_import_rejections_pkey" primary key ("lead_import_id", "row_number"));`);

    this.addSql(`create table "segments" ("id" uuid not null, "created_at" timestamptz not null default now(), "name" varchar(200) not null, "kind" varchar(16) not null, "definition" jsonb null, "updated_at" timestamptz not null default now(), constraint "segments_pkey" primary key ("id"));`);

    this.addSql(`create table "segment_members" ("segment_id" uuid not null, "lead_id" uuid not null, "added_at" timestamptz not null default now(), constraint "segment_members_pkey" primary key ("segment_id", "lead_id"));`);
    this.addSql(`create index "segment_members_lead_id_index" on "segment_members" ("lead_id");`);

    this.addSql(`alter table "campaign_audience" add constraint "campaign_audience_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "campaign_audience" add constraint "campaign_audience_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "lead_consents" add constraint "lead_consents_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "lead_events" add constraint "lead_events_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "lead_external_ids" add constraint "lead_external_ids_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "lead_import_rejections" add constraint "lead_import_rejections_lead_import_id_foreign" foreign key ("lead_import_id") references "lead_imports" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "segment_members" add constraint "segment_members_segment_id_foreign" foreign key ("segment_id") references "segments" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "segment_members" add constraint "segment_members_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "campaigns" add column "audience_snapshot_at" timestamptz null, add column "audience_size" int null;`);

    this.addSql(`alter table "leads" drop column "unsubscribed_at";`);

    this.addSql(`alter table "leads" add column "company" varchar(200) null, add column "job_title" varchar(200) null, add column "phone" varchar(50) null, add column "country" varchar(2) null, add column "time_zone" varchar(64) null, add column "source_channel" varchar(64) null, add column "owner_id" uuid null;`);
    this.addSql(`create index "leads_lifecycle_stage_index" on "leads" ("lifecycle_stage");`);
    this.addSql(`create index "leads_score_index" on "leads" ("score");`);
    this.addSql(`create index "leads_owner_id_index" on "leads" ("owner_id");`);
    this.addSql(`create index "leads_created_at_index" on "leads" ("created_at");`);
    this.addSql(`create index "leads_attributes_gin" on "leads" using gin ("attributes" jsonb_path_ops);`);

    this.addSql(`create index "touchpoints_type_channel_occurred_at_index" on "touchpoints" ("type", "channel", "occurred_at") include ("lead_id", "campaign_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "lead_import_rejections" drop constraint "lead_import_rejections_lead_import_id_foreign";`);

    this.addSql(`alter table "segment_members" drop constraint "segment_members_segment_id_foreign";`);

    this.addSql(`drop table if exists "attribute_definitions" cascade;`);

    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`drop table if exists "campaign_audience" cascade;`);

    this.addSql(`drop table if exists "lead_consents" cascade;`);

    this.addSql(`drop table if exists "lead_events" cascade;`);

    this.addSql(`drop table if exists "lead_external_ids" cascade;`);

    this.addSql(`drop table if exists "lead_imports" cascade;`);

    this.addSql(`drop table if exists "lead_import_rejections" cascade;`);

    this.addSql(`drop table if exists "segments" cascade;`);

    this.addSql(`drop table if exists "segment_members" cascade;`);

    this.addSql(`alter table "campaigns" drop column "audience_snapshot_at", drop column "audience_size";`);

    this.addSql(`drop index "leads_lifecycle_stage_index";`);
    this.addSql(`drop index "leads_score_index";`);
    this.addSql(`drop index "leads_owner_id_index";`);
    this.addSql(`drop index "leads_created_at_index";`);
    this.addSql(`drop index "leads_attributes_gin";`);
    this.addSql(`alter table "leads" drop column "company", drop column "job_title", drop column "phone", drop column "country", drop column "time_zone", drop column "source_channel", drop column "owner_id";`);

    this.addSql(`alter table "leads" add column "unsubscribed_at" timestamptz(6) null;`);

    this.addSql(`drop index "touchpoints_type_channel_occurred_at_index";`);
  }

}
