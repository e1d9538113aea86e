import { Entity, Index, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

/** Who did what to which record. Append-only. */
@Entity({ tableName: 'audit_log' })
@Index({ properties: ['entityType', 'entityId'] })
export class AuditEntry extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'actorKeyId';

  /** The API key that acted; null for the system itself. */
  @Property({ type: 'uuid', nullable: true })
  actorKeyId: string | null = null;

  @Property({ type: 'string', length: 64 })
  action!: string;

  @Property({ type: 'string', length: 64 })
  entityType!: string;

  @Property({ type: 'uuid' })
  entityId!: string;

  @Property({ type: 'json' })
  data: Record<string, unknown> = {};
}
