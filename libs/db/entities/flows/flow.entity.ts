import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

/**
 * A named flow. Its published content lives in immutable versions; the draft is the one
 * editable copy, saved even when it does not yet validate, and frozen by publishing.
 */
@Entity({ tableName: 'flows' })
export class Flow extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'draft' | 'draftUpdatedAt';

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** The definition being edited; null when there is nothing unpublished. */
  @Property({ type: 'json', nullable: true })
  draft: Record<string, unknown> | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  draftUpdatedAt: Date | null = null;
}
