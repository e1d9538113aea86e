import { Entity, PrimaryKeyProp, Property } from '@mikro-orm/core';

/**
 * Credits summed by model × day × channel × currency, without the campaign: what a report by
 * channel (or of totals) reads, a small part of `attribution_rollups`' rows, with the model
 * first so that one model's rows of a range are one index range. Kept by the same triggers.
 */
@Entity({ tableName: 'attribution_channel_rollups' })
export class AttributionChannelRollup {
  [PrimaryKeyProp]?: ['model', 'day', 'channel', 'currency'];

  @Property({ type: 'string', length: 32, primary: true })
  model!: string;

  @Property({ type: 'date', primary: true })
  day!: string;

  @Property({ type: 'string', length: 32, primary: true })
  channel!: string;

  @Property({ type: 'string', length: 3, primary: true })
  currency!: string;

  /** Attributed conversions: the sum of credits. */
  @Property({ type: 'double' })
  conversions: number = 0;

  @Property({ type: 'bigint' })
  revenueMinor: string = '0';
}
