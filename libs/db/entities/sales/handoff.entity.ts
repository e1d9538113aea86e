import { Entity, Index, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { Lead } from '../audience/lead.entity';
import { BaseEntity } from '../base';

export const HANDOFF_STATUSES = ['routing', 'assigned', 'accepted', 'rejected', 'escalated'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];
export const REJECT_DISPOSITIONS = ['disqualify', 'recycle'] as const;
export type RejectDisposition = (typeof REJECT_DISPOSITIONS)[number];

/**
 * A lead handed to sales when it became an MQL: one per move to MQL (the `stage_changed` event,
 * unique), made by a trigger on the timeline whatever moved the lead, and run by the `handoff`
 * workflow (`handoff:<id>`): an owner chosen by the routing rules, notified by email and webhook,
 * and, if the owner does not accept in time, reassigned or escalated.
 */
@Entity({ tableName: 'handoffs' })
@Index({ properties: ['repId', 'status'] })
export class Handoff extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'status' | 'repId' | 'assignedAt' | 'dueAt' | 'decidedAt' | 'reason' | 'disposition' | 'reassignments' | 'startedAt';

  @ManyToOne(() => Lead, { deleteRule: 'cascade', index: true })
  lead!: Lead;

  /** The lead's move to MQL that made it. */
  @Property({ type: 'uuid', unique: true })
  stageEventId!: string;

  @Property({ type: 'string', length: 16, default: 'routing' })
  status: HandoffStatus = 'routing';

  /** The rep it is with now. */
  @Property({ type: 'uuid', nullable: true })
  repId: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  assignedAt: Date | null = null;

  /** When the owner's time to accept runs out. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  dueAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  /** A rejection's reason. */
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Property({ type: 'string', length: 16, nullable: true })
  disposition: RejectDisposition | null = null;

  @Property({ type: 'integer', default: 0 })
  reassignments: number = 0;

  /** When its workflow was started; null until then. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  startedAt: Date | null = null;
}
