import { Entity, Index, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Lead } from '../audience/lead.entity';
import { Campaign } from '../campaigns/campaign.entity';

/** A lead reached a goal worth money. The value is in integer minor units of its currency. */
@Entity({ tableName: 'conversions' })
@Index({ properties: ['campaign', 'occurredAt'] })
// The cohort report finds the first conversions of a date range by time.
@Index({ properties: ['occurredAt'] })
export class Conversion extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'campaign' | 'externalId';

  @ManyToOne(() => Lead, { deleteRule: 'cascade', index: true })
  lead!: Lead;

  /** The campaign credited by last touch within the look-back window, if any. */
  @ManyToOne(() => Campaign, { nullable: true, deleteRule: 'set null' })
  campaign: Campaign | null = null;

  @Property({ type: 'string', length: 64 })
  type!: string;

  @Property({ type: 'bigint' })
  valueMinor!: string;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt!: Date;

  @Property({ type: 'string', length: 200, nullable: true, unique: true })
  externalId: string | null = null;
}
