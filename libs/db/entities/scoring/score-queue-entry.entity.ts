import { Entity, ManyToOne, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Lead } from '../audience/lead.entity';

/**
 * A lead whose score is due to be worked out again: something it did or that changed about it
 * since. Triggers on touchpoints, leads, consents and score adjustments add rows (one per lead);
 * the worker's score updater takes them, oldest first, and deletes them in the transaction that
 * stores the new scores.
 */
@Entity({ tableName: 'score_queue' })
export class ScoreQueueEntry {
  [PrimaryKeyProp]?: 'lead';

  @ManyToOne(() => Lead, { primary: true, deleteRule: 'cascade' })
  lead!: Lead;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()', index: true })
  queuedAt: Date = new Date();
}
