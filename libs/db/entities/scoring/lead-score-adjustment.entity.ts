import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { Lead } from '../audience/lead.entity';
import { BaseEntity } from '../base';

/**
 * Points a flow gave a lead (or took away) with an `adjust_score` step. They count in the lead's
 * score under every scoring model, without decay, as one line of its explanation.
 */
@Entity({ tableName: 'lead_score_adjustments' })
export class LeadScoreAdjustment extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'reason' | 'campaignId' | 'stepId';

  @ManyToOne(() => Lead, { deleteRule: 'cascade', index: true })
  lead!: Lead;

  @Property({ type: 'integer' })
  points!: number;

  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  /** What gave them: `flow`. */
  @Property({ type: 'string', length: 32 })
  source!: string;

  @Property({ type: 'uuid', nullable: true })
  campaignId: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  stepId: string | null = null;
}
