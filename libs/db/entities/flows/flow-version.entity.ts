import { Entity, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import type { FlowDefinition } from '@ce/flows';
import { BaseEntity } from '../base';
import { Flow } from './flow.entity';

/** A published, immutable version of a flow. Enrollments run the version they started on. */
@Entity({ tableName: 'flow_versions' })
@Unique({ properties: ['flow', 'version'] })
export class FlowVersion extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'publishedAt';

  @ManyToOne(() => Flow, { deleteRule: 'cascade' })
  flow!: Flow;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'json' })
  definition!: FlowDefinition;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  publishedAt: Date = new Date();
}
