import { Entity, Index, PrimaryKeyProp, Property } from '@mikro-orm/core';

/** The campaign key of credits that belong to no campaign (direct visits, organic search, …). */
export const NO_CAMPAIGN = '00000000-0000-0000-0000-000000000000';

/**
 * Credits summed by day × campaign × channel × model × currency, kept up to date as credits are
 * written and rewritten: reports read these rows, not the credits.
 */
@Entity({ tableName: 'attribution_rollups' })
// The per-campaign report reads one campaign over any range.
@Index({ properties: ['campaignKey', 'day'] })
export class AttributionRollup {
  [PrimaryKeyProp]?: ['day', 'campaignKey', 'channel', 'model', 'currency'];

  @Property({ type: 'date', primary: true })
  day!: string;

  /** The campaign's id, or `NO_CAMPAIGN`. */
  @Property({ type: 'uuid', primary: true })
  campaignKey!: string;

  @Property({ type: 'string', length: 32, primary: true })
  channel!: string;

  @Property({ type: 'string', length: 32, primary: true })
  model!: string;

  @Property({ type: 'string', length: 3, primary: true })
  currency!: string;

  /** Attributed conversions: the sum of credits. */
  @Property({ type: 'double' })
  conversions: number = 0;

  @Property({ type: 'bigint' })
  revenueMinor: string = '0';
}
