import { Entity, Index, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Lead } from '../audience/lead.entity';
import { FlowVersion } from '../flows/flow-version.entity';
import { Campaign } from './campaign.entity';

export const ENROLLMENT_STATUSES = ['active', 'completed', 'exited'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/**
 * One pass of one lead through one campaign. Unique per (campaign, lead, sequence): a lead is
 * never enrolled twice at once, and only re-enrolled (sequence 2, 3, …) when the flow allows.
 */
@Entity({ tableName: 'enrollments' })
@Unique({ properties: ['campaign', 'lead', 'sequence'] })
@Index({ properties: ['campaign', 'workflowId'] })
export class Enrollment extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'status' | 'endedAt' | 'endReason' | 'sequence' | 'path';

  @ManyToOne(() => Campaign, { deleteRule: 'cascade' })
  campaign!: Campaign;

  @ManyToOne(() => Lead, { deleteRule: 'cascade', index: true })
  lead!: Lead;

  @ManyToOne(() => FlowVersion)
  flowVersion!: FlowVersion;

  /** 1 for the first enrollment of this lead in this campaign, then 2, 3, … on re-enrollment. */
  @Property({ type: 'integer', default: 1 })
  sequence: number = 1;

  @Property({ type: 'string', length: 16 })
  status: EnrollmentStatus = 'active';

  /** The workflow that runs this journey: its cohort's, shared with the other leads in it. */
  @Property({ type: 'string', length: 300 })
  workflowId!: string;

  /** The steps the lead went through, written when the journey ends (the workflow holds it until then). */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  path: { stepId: string; enteredAt: string }[] | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  endedAt: Date | null = null;

  @Property({ type: 'string', length: 100, nullable: true })
  endReason: string | null = null;
}
