import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'disqualified'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** A person marketing reaches. Identity is the normalised (trimmed, lower-cased) email. */
@Entity({ tableName: 'leads' })
export class Lead extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'attributes' | 'lifecycleStage' | 'score' | 'firstName' | 'lastName' | 'unsubscribedAt';

  @Property({ type: 'string', length: 320, unique: true })
  email!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  firstName: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  lastName: string | null = null;

  @Property({ type: 'json' })
  attributes: Record<string, unknown> = {};

  @Property({ type: 'string', length: 32 })
  lifecycleStage: LifecycleStage = 'subscriber';

  @Property({ type: 'integer' })
  score: number = 0;

  /** Set when the lead unsubscribes from email; no email is sent after it. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  unsubscribedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
