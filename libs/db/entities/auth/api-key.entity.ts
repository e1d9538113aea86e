import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { SalesRep } from '../sales/sales-rep.entity';

export const ROLES = ['admin', 'marketer', 'sales', 'analyst', 'engineer'] as const;
export type Role = (typeof ROLES)[number];

/** An API key. Only the SHA-256 of the key is stored; the key itself is shown once. */
@Entity({ tableName: 'api_keys' })
export class ApiKey extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'lastUsedAt' | 'revokedAt' | 'salesRep';

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 16 })
  role!: Role;

  /** The key's first characters, safe to show so people can tell keys apart. */
  @Property({ type: 'string', length: 16 })
  prefix!: string;

  @Property({ type: 'string', length: 64, unique: true })
  keyHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  /** The sales rep a `sales` key belongs to: it sees that rep's leads only. */
  @ManyToOne(() => SalesRep, { nullable: true, deleteRule: 'set null' })
  salesRep: SalesRep | null = null;
}
