import { Entity, Index, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Lead } from './lead.entity';

export const LEAD_EVENT_TYPES = [
  'created',
  'stage_changed',
  'score_changed',
  'consent_changed',
  'owner_changed',
  'merged',
  'external_id_conflict',
  'attribute_changed',
  'tag_added',
  'tag_removed',
  'sales_notified',
  'handoff_accepted',
  'handoff_rejected',
  'sla_missed',
  'deal_lost',
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];

/** Something that happened to a lead's record, for its timeline. Append-only. */
@Entity({ tableName: 'lead_events' })
@Index({ properties: ['lead', 'occurredAt'] })
// A lead's stage changes in time order with their data, for the funnel report without table reads.
@Index({
  name: 'lead_events_stage_changes_index',
  expression: `create index "lead_events_stage_changes_index" on "lead_events" ("lead_id", "occurred_at", "created_at", "id") include ("data") where "type" = 'stage_changed'`,
})
export class LeadEvent extends BaseEntity {
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => Lead, { deleteRule: 'cascade' })
  lead!: Lead;

  @Property({ type: 'string', length: 32 })
  type!: LeadEventType;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt!: Date;

  @Property({ type: 'json' })
  data: Record<string, unknown> = {};
}
