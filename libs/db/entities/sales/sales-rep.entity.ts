import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

/**
 * A sales rep leads are handed to. Routing picks among the active reps under their capacity,
 * the one assigned longest ago first (round robin). A `sales` API key may belong to a rep
 * (`api_keys.sales_rep_id`): it then sees that rep's queue only.
 */
@Entity({ tableName: 'sales_reps' })
export class SalesRep extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'active' | 'capacity' | 'webhookUrl' | 'lastAssignedAt';

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Where hand-off notifications go. */
  @Property({ type: 'string', length: 320 })
  email!: string;

  /** Inactive reps are given no new leads. */
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  /** Open hand-offs (assigned, not yet accepted or rejected) the rep may hold at once; no limit when null. */
  @Property({ type: 'integer', nullable: true })
  capacity: number | null = null;

  /** Where the signed hand-off webhook goes for this rep; the routing settings' URL when null. */
  @Property({ type: 'text', nullable: true })
  webhookUrl: string | null = null;

  /** When the rep was last given a lead: round robin gives the next to the one waiting longest. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastAssignedAt: Date | null = null;
}
