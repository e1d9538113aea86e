import { Migration } from '@mikro-orm/migrations';

/** The one row of attribution settings: the look-back window and the time-decay half-life. */
export class Migration20261124104000_attribution_settings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "attribution_settings" ("id" smallint not null default 1, "lookback_days" int not null default 90, "half_life_days" double precision not null default 7, "updated_at" timestamptz not null default now(), constraint "attribution_settings_pkey" primary key ("id"));`);
    this.addSql(`insert into "attribution_settings" ("id") values (1);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "attribution_settings" cascade;`);
  }
}
