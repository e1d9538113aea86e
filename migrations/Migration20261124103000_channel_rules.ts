import { Migration } from '@mikro-orm/migrations';

/**
 * The operator's channel rules (docs/touchpoints.md, "Channels"): an ordered list, tried before
 * the built-in defaults when touchpoints are ingested. Patterns are lists of text; a rule tests
 * the source, the medium, or both. `PUT /v1/channel-rules` replaces the whole list at once.
 */
export class Migration20261124103000_channel_rules extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "channel_rules" ("id" uuid not null, "created_at" timestamptz not null default now(), "position" int not null, "channel" varchar(32) not null, "source" text[] null, "medium" text[] null, "updated_at" timestamptz not null default now(), "updated_by_key_id" uuid null, constraint "channel_rules_pkey" primary key ("id"), constraint "channel_rules_source_or_medium_check" check (source is not null or medium is not null));`,
    );
    this.addSql(`alter table "channel_rules" add constraint "channel_rules_position_unique" unique ("position");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "channel_rules" cascade;`);
  }
}
