import { Migration } from '@mikro-orm/migrations';

export class Migration20261124012317_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "api_keys" ("id" uuid not null, "created_at" timestamptz not null default now(), "name" varchar(200) not null, "role" varchar(16) not null, "prefix" varchar(16) not null, "key_hash" varchar(64) not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_keys_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);

    this.addSql(`create table "flows" ("id" uuid not null, "created_at" timestamptz not null default now(), "name" varchar(200) not null, constraint "flows_pkey" primary key ("id"));`);

    this.addSql(`create table "flow_versions" ("id" uuid not null, "created_at" timestamptz not null default now(), "flow_id" uuid not null, "version" int not null, "definition" jsonb not null, "published_at" timestamptz not null default now(), constraint "flow_versions_pkey" primary key ("id"));`);
    this.addSql(`alter table "flow_versions" add constraint "flow_versions_flow_id_version_unique" unique ("flow_id", "version");`);

    this.addSql(`create table "campaigns" ("id" uuid not null, "created_at" timestamptz not null default now(), "name" varchar(200) not null, "flow_id" uuid not null, "flow_version_id" uuid null, "channel" varchar(32) not null, "status" varchar(16) not null default 'draft', "audience" jsonb not null, "currency" varchar(3) not null, "launched_at" timestamptz null, constraint "campaigns_pkey" primary key ("id"));`);

    this.addSql(`create table "costs" ("id" uuid not null, "created_at" timestamptz not null default now(), "campaign_id" uuid not null, "channel" varchar(32) not null, "day" date not null, "amount_minor" bigint not null, "currency" varchar(3) not null, constraint "costs_pkey" primary key ("id"));`);
    this.addSql(`alter table "costs" add constraint "costs_campaign_id_channel_day_unique" unique ("campaign_id", "channel", "day");`);

    this.addSql(`create table "leads" ("id" uuid not null, "created_at" timestamptz not null default now(), "email" varchar(320) not null, "first_name" varchar(200) null, "last_name" varchar(200) null, "attributes" jsonb not null, "lifecycle_stage" varchar(32) not null default 'subscriber', "score" int not null default 0, "unsubscribed_at" timestamptz null, "updated_at" timestamptz not null default now(), constraint "leads_pkey" primary key ("id"));`);
    this.addSql(`alter table "leads" add constraint "leads_email_unique" unique ("email");`);

    this.addSql(`create table "enrollments" ("id" uuid not null, "created_at" timestamptz not null default now(), "campaign_id" uuid not null, "lead_id" uuid not null, "flow_version_id" uuid not null, "status" varchar(16) not null default 'active', "workflow_id" varchar(300) not null, "ended_at" timestamptz null, "end_reason" varchar(100) null, constraint "enrollments_pkey" primary key ("id"));`);
    this.addSql(`create index "enrollments_lead_id_index" on "enrollments" ("lead_id");`);
    this.addSql(`alter table "enrollments" add constraint "enrollments_campaign_id_lead_id_unique" unique ("campaign_id", "lead_id");`);

    this.addSql(`create table "conversions" ("id" uuid not null, "created_at" timestamptz not null default now(), "lead_id" uuid not null, "campaign_id" uuid null, "type" varchar(64) not null, "value_minor" bigint not null, "currency" varchar(3) not null, "occurred_at" timestamptz not null, "external_id" varchar(200) null, constraint "conversions_pkey" primary key ("id"));`);
    this.addSql(`create index "conversions_lead_id_index" on "conversions" ("lead_id");`);
    this.addSql(`alter table "conversions" add constraint "conversions_external_id_unique" unique ("external_id");`);
    this.addSql(`create index "conversions_campaign_id_occurred_at_index" on "conversions" ("campaign_id", "occurred_at");`);

    this.addSql(`create table "messages" ("id" uuid not null, "created_at" timestamptz not null default now(), "idempotency_key" varchar(300) not null, "enrollment_id" uuid not null, "campaign_id" uuid not null, "lead_id" uuid not null, "step_id" varchar(64) not null, "channel" varchar(32) not null, "status" varchar(16) not null default 'sending', "subject" text null, "provider_message_id" varchar(300) null, "error" text null, "sent_at" timestamptz null, constraint "messages_pkey" primary key ("id"));`);
    this.addSql(`alter table "messages" add constraint "messages_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "messages_enrollment_id_index" on "messages" ("enrollment_id");`);
    this.addSql(`create index "messages_campaign_id_index" on "messages" ("campaign_id");`);
    this.addSql(`create index "messages_lead_id_index" on "messages" ("lead_id");`);

    this.addSql(`create table "templates" ("id" uuid not null, "created_at" timestamptz not null default now(), "name" varchar(200) not null, "subject" text not null, "html" text not null, "text" text null, "updated_at" timestamptz not null default now(), constraint "templates_pkey" primary key ("id"));`);

    this.addSql(`create table "touchpoints" ("id" uuid not null, "created_at" timestamptz not null default now(), "lead_id" uuid not null, "campaign_id" uuid null, "channel" varchar(32) not null, "type" varchar(32) not null, "occurred_at" timestamptz not null, "message_id" uuid null, "url" text null, "external_id" varchar(200) null, "properties" jsonb not null, constraint "touchpoints_pkey" primary key ("id"));`);
    this.addSql(`alter table "touchpoints" add constraint "touchpoints_external_id_unique" unique ("external_id");`);
    this.addSql(`create index "touchpoints_campaign_id_type_index" on "touchpoints" ("campaign_id", "type");`);
    this.addSql(`create index "touchpoints_lead_id_occurred_at_index" on "touchpoints" ("lead_id", "occurred_at");`);

    this.addSql(`alter table "flow_versions" add constraint "flow_versions_flow_id_foreign" foreign key ("flow_id") references "flows" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "campaigns" add constraint "campaigns_flow_id_foreign" foreign key ("flow_id") references "flows" ("id") on update cascade;`);
    this.addSql(`alter table "campaigns" add constraint "campaigns_flow_version_id_foreign" foreign key ("flow_version_id") references "flow_versions" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "costs" add constraint "costs_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "enrollments" add constraint "enrollments_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "enrollments" add constraint "enrollments_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "enrollments" add constraint "enrollments_flow_version_id_foreign" foreign key ("flow_version_id") references "flow_versions" ("id") on update cascade;`);

    this.addSql(`alter table "conversions" add constraint "conversions_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversions" add constraint "conversions_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "messages" add constraint "messages_enrollment_id_foreign" foreign key ("enrollment_id") references "enrollments" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "messages" add constraint "messages_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "messages" add constraint "messages_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "touchpoints" add constraint "touchpoints_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "touchpoints" add constraint "touchpoints_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "touchpoints" add constraint "touchpoints_message_id_foreign" foreign key ("message_id") references "messages" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "flow_versions" drop constraint "flow_versions_flow_id_foreign";`);

    this.addSql(`alter table "campaigns" drop constraint "campaigns_flow_id_foreign";`);

    this.addSql(`alter table "campaigns" drop constraint "campaigns_flow_version_id_foreign";`);

    this.addSql(`alter table "enrollments" drop constraint "enrollments_flow_version_id_foreign";`);

    this.addSql(`alter table "costs" drop constraint "costs_campaign_id_foreign";`);

    this.addSql(`alter table "enrollments" drop constraint "enrollments_campaign_id_foreign";`);

    this.addSql(`alter table "conversions" drop constraint "conversions_campaign_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_campaign_id_foreign";`);

    this.addSql(`alter table "touchpoints" drop constraint "touchpoints_campaign_id_foreign";`);

    this.addSql(`alter table "enrollments" drop constraint "enrollments_lead_id_foreign";`);

    this.addSql(`alter table "conversions" drop constraint "conversions_lead_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_lead_id_foreign";`);

    this.addSql(`alter table "touchpoints" drop constraint "touchpoints_lead_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_enrollment_id_foreign";`);

    this.addSql(`alter table "touchpoints" drop constraint "touchpoints_message_id_foreign";`);

    this.addSql(`drop table if exists "api_keys" cascade;`);

    this.addSql(`drop table if exists "flows" cascade;`);

    this.addSql(`drop table if exists "flow_versions" cascade;`);

    this.addSql(`drop table if exists "campaigns" cascade;`);

    this.addSql(`drop table if exists "costs" cascade;`);

    this.addSql(`drop table if exists "leads" cascade;`);

    this.addSql(`drop table if exists "enrollments" cascade;`);

    this.addSql(`drop table if exists "conversions" cascade;`);

    this.addSql(`drop table if exists "messages" cascade;`);

    this.addSql(`drop table if exists "templates" cascade;`);

    this.addSql(`drop table if exists "touchpoints" cascade;`);
  }

}
