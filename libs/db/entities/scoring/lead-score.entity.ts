import { Entity, ManyToOne, OptionalProps, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Lead } from '../audience/lead.entity';

/**
 * A lead's score as last worked out: the model version, the whole score (also kept on
 * `leads.score`, which segments and the sales queue sort by) and its contributions, largest
 * first, as the explanation shows them.
 */
@Entity({ tableName: 'lead_scores' })
export class LeadScore {
  [PrimaryKeyProp]?: 'lead';
  [OptionalProps]?: 'predicted' | 'predictiveVersion';

  @ManyToOne(() => Lead, { primary: true, deleteRule: 'cascade' })
  lead!: Lead;

  /** Null when no model was in force (the score is then the points flows gave). */
  @Property({ type: 'integer', nullable: true })
  modelVersion!: number | null;

  @Property({ type: 'integer' })
  score!: number;

  @Property({ type: 'json' })
  contributions!: unknown[];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  scoredAt!: Date;

  /** The predictive score: the chance, from 0 to 1, that the lead converts; null before a model is trained. */
  @Property({ type: 'double', nullable: true })
  predicted: number | null = null;

  /** The predictive model version that gave it. */
  @Property({ type: 'integer', nullable: true })
  predictiveVersion: number | null = null;
}
