import { Migration } from '@mikro-orm/migrations';

/** Trigger functions that put leads on the score queue, given the transition table's lead column. */
const QUEUE_FROM_NEW_ROWS = (name: string, leadColumn: string) => `
  create function ${name}() returns trigger language plpgsql as $$
  begin
    -- Nothing is scored before a scoring model is saved; saving one scores every lead.
    if exists (select 1 from scoring_models) then
      insert into score_queue (lead_id)
      select distinct ${leadColumn} from new_rows where ${leadColumn} is not null
      on conflict (lead_id) do nothing;
    end if;
    return null;
  end $$;`;

/** The lead fields a scoring condition can test (not the score and what follows from it). */
const SCORED_FIELDS = ['email', 'first_name', 'last_name', 'company', 'job_title', 'phone', 'country', 'time_zone', 'source_channel', 'attributes', 'created_at'];

/**
 * Lead scoring: the versioned models, the scores with their contributions, the points flows
 * give (backfilled from the timeline), and the queue of leads to score again, kept by triggers
 * on what a score depends on: touchpoints (added, or joined to a lead), leads (added, or a
 * scored field changed), consents and adjustments.
 */
export class Migration20261124134247_scoring extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "lead_scores" ("lead_id" uuid not null, "model_version" int null, "score" int not null, "contributions" jsonb not null, "scored_at" timestamptz not null, constraint "lead_scores_pkey" primary key ("lead_id"));`);

    this.addSql(`create table "lead_score_adjustments" ("id" uuid not null, "created_at" timestamptz not null default now(), "lead_id" uuid not null, "points" int not null, "reason" text null, "source" varchar(32) not null, "campaign_id" uuid null, "step_id" varchar(64) null, constraint "lead_score_adjustments_pkey" primary key ("id"));`);
    this.addSql(`create index "lead_score_adjustments_lead_id_index" on "lead_score_adjustments" ("lead_id");`);

    this.addSql(`create table "score_queue" ("lead_id" uuid not null, "queued_at" timestamptz not null default now(), constraint "score_queue_pkey" primary key ("lead_id"));`);
    this.addSql(`create index "score_queue_queued_at_index" on "score_queue" ("queued_at");`);

    this.addSql(`create table "scoring_models" ("version" int not null, "model" jsonb not null, "created_by_key_id" uuid null, "created_at" timestamptz not null default now(), constraint "scoring_models_pkey" primary key ("version"));`);

    this.addSql(`alter table "lead_scores" add constraint "lead_scores_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "lead_score_adjustments" add constraint "lead_score_adjustments_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "score_queue" add constraint "score_queue_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete cascade;`);

    this.addSql(`insert into lead_score_adjustments (id, created_at, lead_id, points, reason, source, campaign_id, step_id)
      select gen_random_uuid(), occurred_at, lead_id, (data->>'points')::int, data->>'reason', 'flow', (data->>'campaignId')::uuid, data->>'stepId'
        from lead_events where type = 'score_changed' and data->>'source' = 'flow' and (data->>'points') is not null;`);

    this.addSql(QUEUE_FROM_NEW_ROWS('score_queue_new_rows', 'lead_id'));
    this.addSql(QUEUE_FROM_NEW_ROWS('score_queue_new_leads', 'id'));
    this.addSql(`create function score_queue_lead_changed() returns trigger language plpgsql as $$
  begin
    if exists (select 1 from scoring_models) then
      insert into score_queue (lead_id) values (new.id) on conflict (lead_id) do nothing;
    end if;
    return null;
  end $$;`);
    const queue = (table: string, event: string, fn: string) =>
      `create trigger ${table}_score_queue_${event} after ${event} on ${table} referencing new table as new_rows for each statement execute function ${fn}();`;
    this.addSql(queue('touchpoints', 'insert', 'score_queue_new_rows'));
    this.addSql(queue('touchpoints', 'update', 'score_queue_new_rows'));
    this.addSql(queue('lead_consents', 'insert', 'score_queue_new_rows'));
    this.addSql(queue('lead_consents', 'update', 'score_queue_new_rows'));
    this.addSql(queue('lead_score_adjustments', 'insert', 'score_queue_new_rows'));
    this.addSql(queue('leads', 'insert', 'score_queue_new_leads'));
    const changed = SCORED_FIELDS.map((f) => `old.${f} is distinct from new.${f}`).join(' or ');
    this.addSql(`create trigger leads_score_queue_update after update of ${SCORED_FIELDS.join(', ')} on leads
      for each row when (${changed}) execute function score_queue_lead_changed();`);
  }

  override async down(): Promise<void> {
    for (const [table, event] of [['touchpoints', 'insert'], ['touchpoints', 'update'], ['lead_consents', 'insert'], ['lead_consents', 'update'], ['lead_score_adjustments', 'insert'], ['leads', 'insert']])
      this.addSql(`drop trigger if exists ${table}_score_queue_${event} on ${table};`);
    this.addSql(`drop trigger if exists leads_score_queue_update on leads;`);
    this.addSql(`drop function if exists score_queue_new_rows(), score_queue_new_leads(), score_queue_lead_changed();`);
    this.addSql(`drop table if exists "lead_scores" cascade;`);

    this.addSql(`drop table if exists "lead_score_adjustments" cascade;`);

    this.addSql(`drop table if exists "score_queue" cascade;`);

    this.addSql(`drop table if exists "scoring_models" cascade;`);
  }

}
