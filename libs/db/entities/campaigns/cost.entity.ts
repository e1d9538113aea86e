import { Entity, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Campaign } from './campaign.entity';

/** Spend on a campaign in one channel on one day, in integer minor units of its currency. */
@Entity({ tableName: 'costs' })
@Unique({ properties: ['campaign', 'channel', 'day'] })
export class Cost extends BaseEntity {
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => Campaign, { deleteRule: 'cascade' })
  campaign!: Campaign;

  @Property({ type: 'string', length: 32 })
  channel!: string;

  /** The day, as YYYY-MM-DD. */
  @Property({ type: 'date' })
  day!: string;

  @Property({ type: 'bigint' })
  amountMinor!: string;

  @Property({ type: 'string', length: 3 })
  currency!: string;
}
