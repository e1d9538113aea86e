import { Migration } from '@mikro-orm/migrations';

export class Migration20261124065317_cohorts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "enrollments" add column "path" jsonb null;`);
    this.addSql(`create index "enrollments_campaign_id_workflow_id_index" on "enrollments" ("campaign_id", "workflow_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "enrollments_campaign_id_workflow_id_index";`);
    this.addSql(`alter table "enrollments" drop column "path";`);
  }

}
