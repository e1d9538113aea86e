import { Entity, ManyToOne, OptionalProps, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Lead } from './lead.entity';
import { Segment } from './segment.entity';

/** A lead in a static segment. */
@Entity({ tableName: 'segment_members' })
export class SegmentMember {
  [PrimaryKeyProp]?: ['segment', 'lead'];
  [OptionalProps]?: 'addedAt';

  @ManyToOne(() => Segment, { primary: true, deleteRule: 'cascade' })
  segment!: Segment;

  @ManyToOne(() => Lead, { primary: true, deleteRule: 'cascade', index: true })
  lead!: Lead;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  addedAt: Date = new Date();
}
