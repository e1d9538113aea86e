import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the funnel and cohort reports (docs/reports.md).
 * - A lead's stage changes in time order, read per lead of a cohort: a partial index of the
 *   `stage_changed` events holding every column the funnel reads, so it needs no table access.
 * - Conversions by time: the cohort report finds the first conversions of a range with it.
 */
export class Migration20261124093100_lifecycle_reports extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "lead_events_stage_changes_index" on "lead_events" ("lead_id", "occurred_at", "created_at", "id") include ("data") where "type" = 'stage_changed';`,
    );
    this.addSql(`create index "conversions_occurred_at_index" on "conversions" ("occurred_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "conversions_occurred_at_index";`);
    this.addSql(`drop index "lead_events_stage_changes_index";`);
  }
}
