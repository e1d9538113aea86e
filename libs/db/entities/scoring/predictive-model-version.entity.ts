import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export const PREDICTIVE_STATUSES = ['trained', 'insufficient_data'] as const;
export type PredictiveStatus = (typeof PREDICTIVE_STATUSES)[number];

/**
 * One training of the predictive score: a logistic regression fitted on historical leads, with
 * its AUC on leads held out of the fit, or why there was too little data to fit one. Numbered
 * from 1; the latest trained one scores leads.
 */
@Entity({ tableName: 'predictive_models' })
export class PredictiveModelVersion {
  [OptionalProps]?: 'createdAt' | 'reason' | 'auc' | 'trainRows' | 'heldOutRows' | 'model';

  @PrimaryKey({ type: 'integer', autoincrement: false })
  version!: number;

  @Property({ type: 'string', length: 32 })
  status!: PredictiveStatus;

  /** Why no model could be fitted, in words a user can read. */
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  /** ROC AUC on the held-out leads. */
  @Property({ type: 'double', nullable: true })
  auc: number | null = null;

  /** Leads looked at, converted or not. */
  @Property({ type: 'integer' })
  rows!: number;

  @Property({ type: 'integer' })
  positives!: number;

  @Property({ type: 'integer', nullable: true })
  trainRows: number | null = null;

  @Property({ type: 'integer', nullable: true })
  heldOutRows: number | null = null;

  /** The features' spec and the fitted model, when trained. */
  @Property({ type: 'json', nullable: true })
  model: Record<string, unknown> | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
