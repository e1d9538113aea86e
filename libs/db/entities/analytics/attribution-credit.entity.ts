import { Entity, Index, ManyToOne, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Campaign } from '../campaigns/campaign.entity';
import { Conversion } from './conversion.entity';
import { Touchpoint } from './touchpoint.entity';

/**
 * One touchpoint's share of one conversion under one model, and the revenue that share is worth.
 * Under each model a conversion's credits sum to 1 and their revenue to its value. Written again
 * whole when a late touchpoint changes the conversion's path.
 */
@Entity({ tableName: 'attribution_credits' })
@Index({ properties: ['model', 'convertedAt'] })
@Index({ properties: ['touchpoint'] })
export class AttributionCredit {
  [PrimaryKeyProp]?: ['conversion', 'model', 'touchpoint'];

  @ManyToOne(() => Conversion, { primary: true, deleteRule: 'cascade' })
  conversion!: Conversion;

  @Property({ type: 'string', length: 32, primary: true })
  model!: string;

  @ManyToOne(() => Touchpoint, { primary: true, deleteRule: 'cascade' })
  touchpoint!: Touchpoint;

  /** The touchpoint's campaign and channel, kept here so reports group without joins. */
  @ManyToOne(() => Campaign, { nullable: true, deleteRule: 'set null' })
  campaign: Campaign | null = null;

  @Property({ type: 'string', length: 32 })
  channel!: string;

  @Property({ type: 'double' })
  credit!: number;

  @Property({ type: 'bigint' })
  revenueMinor!: string;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** The conversion's time: roll-ups and reports count a credit on the day of its conversion. */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  convertedAt!: Date;
}
