import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One version of the scoring model: its rules and stage thresholds, as validated JSON. Versions
 * are numbered from 1 and never change; the highest is the model in force.
 */
@Entity({ tableName: 'scoring_models' })
export class ScoringModelVersion {
  [OptionalProps]?: 'createdAt' | 'createdByKeyId';

  @PrimaryKey({ type: 'integer', autoincrement: false })
  version!: number;

  @Property({ type: 'json' })
  model!: Record<string, unknown>;

  /** The API key that saved it. */
  @Property({ type: 'uuid', nullable: true })
  createdByKeyId: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
