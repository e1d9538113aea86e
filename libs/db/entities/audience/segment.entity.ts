import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

export const SEGMENT_KINDS = ['dynamic', 'static'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/**
 * An audience. A dynamic segment is a definition evaluated when read; a static one is an
 * explicit list of leads (segment_members).
 */
@Entity({ tableName: 'segments' })
export class Segment extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'definition';

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 16 })
  kind!: SegmentKind;

  /** The segment DSL (dynamic segments only). */
  @Property({ type: 'json', nullable: true })
  definition: Record<string, unknown> | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
