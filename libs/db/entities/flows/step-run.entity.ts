import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Enrollment } from '../campaigns/enrollment.entity';

/**
 * The ledger of action steps other than email: one row per (enrollment, step), written in the
 * same transaction as the step's effect, so a retried or replayed activity finds it and does
 * nothing twice.
 */
@Entity({ tableName: 'step_runs' })
export class StepRun extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'outcome';

  /** `<enrollment id>:<step id>`. */
  @Property({ type: 'string', length: 300, unique: true })
  idempotencyKey!: string;

  @ManyToOne(() => Enrollment, { deleteRule: 'cascade', index: true })
  enrollment!: Enrollment;

  @Property({ type: 'string', length: 64 })
  stepId!: string;

  @Property({ type: 'string', length: 64 })
  stepType!: string;

  /** What the step did, for the lead's timeline and for support. */
  @Property({ type: 'json', default: '{}' })
  outcome: Record<string, unknown> = {};
}
