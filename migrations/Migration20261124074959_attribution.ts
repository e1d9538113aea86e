import { Migration } from '@mikro-orm/migrations';

export class Migration20261124074959_attribution extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "attribution_rollups" ("day" date not null, "campaign_key" uuid not null, "channel" varchar(32) not null, "model" varchar(32) not null, "currency" varchar(3) not null, "conversions" double precision not null default 0, "revenue_minor" bigint not null default '0', constraint "attribution_rollups_pkey" primary key ("day", "campaign_key", "channel", "model", "currency"));`);

    this.addSql(`create table "attribution_weights" ("model" varchar(32) not null, "channel" varchar(32) not null, "weight" double precision not null, "computed_at" timestamptz not null, constraint "attribution_weights_pkey" primary key ("model", "channel"));`);

    this.addSql(`create table "currency_rates" ("currency" varchar(3) not null, "day" date not null, "rate" numeric(24,12) not null, constraint "currency_rates_pkey" primary key ("currency", "day"));`);

    this.addSql(`create table "attribution_credits" ("conversion_id" uuid not null, "model" varchar(32) not null, "touchpoint_id" uuid not null, "campaign_id" uuid null, "channel" varchar(32) not null, "credit" double precision not null, "revenue_minor" bigint not null, "currency" varchar(3) not null, "converted_at" timestamptz not null, constraint "attribution_credits_pkey" primary key ("conversion_id", "model", "touchpoint_id"));`);
    this.addSql(`create index "attribution_credits_touchpoint_id_index" on "attribution_credits" ("touchpoint_id");`);
    this.addSql(`create index "attribution_credits_model_converted_at_index" on "attribution_credits" ("model", "converted_at");`);

    this.addSql(`alter table "attribution_credits" add constraint "attribution_credits_conversion_id_foreign" foreign key ("conversion_id") references "conversions" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "attribution_credits" add constraint "attribution_credits_touchpoint_id_foreign" foreign key ("touchpoint_id") references "touchpoints" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "attribution_credits" add constraint "attribution_credits_campaign_id_foreign" foreign key ("campaign_id") references "campaigns" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "touchpoints" add column "visitor_id" varchar(200) null, add column "source" varchar(200) null, add column "medium" varchar(200) null, add column "utm_campaign" varchar(200) null;`);
    this.addSql(`alter table "touchpoints" alter column "lead_id" drop not null;`);
    this.addSql(`create index "touchpoints_visitor_id_index" on "touchpoints" ("visitor_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "attribution_rollups" cascade;`);

    this.addSql(`drop table if exists "attribution_weights" cascade;`);

    this.addSql(`drop table if exists "currency_rates" cascade;`);

    this.addSql(`drop table if exists "attribution_credits" cascade;`);

    this.addSql(`drop index "touchpoints_visitor_id_index";`);
    this.addSql(`alter table "touchpoints" drop column "visitor_id", drop column "source", drop column "medium", drop column "utm_campaign";`);

    this.addSql(`alter table "touchpoints" alter column "lead_id" set not null;`);
  }

}
