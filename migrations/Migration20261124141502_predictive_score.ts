import { Migration } from '@mikro-orm/migrations';

/** The predictive score: each training (model, AUC, or why there was too little data) and each lead's predicted chance to convert. */
export class Migration20261124141502_predictive_score extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "predictive_models" ("version" int not null, "status" varchar(32) not null, "reason" text null, "auc" double precision null, "rows" int not null, "positives" int not null, "train_rows" int null, "held_out_rows" int null, "model" jsonb null, "created_at" timestamptz not null default now(), constraint "predictive_models_pkey" primary key ("version"));`);

    this.addSql(`alter table "lead_scores" add column "predicted" double precision null, add column "predictive_version" int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "predictive_models" cascade;`);

    this.addSql(`alter table "lead_scores" drop column "predicted", drop column "predictive_version";`);
  }

}
