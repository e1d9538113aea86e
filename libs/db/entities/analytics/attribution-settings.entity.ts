import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** The one row of attribution settings. */
export const ATTRIBUTION_SETTINGS_ID = 1;

/**
 * How conversions are attributed: the look-back window (touchpoints older than this before a
 * conversion earn nothing) and the time-decay model's half-life. One row, changed through the
 * API; a change re-attributes every conversion.
 */
@Entity({ tableName: 'attribution_settings' })
export class AttributionSettings {
  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id: number = ATTRIBUTION_SETTINGS_ID;

  @Property({ type: 'int', default: 90 })
  lookbackDays: number = 90;

  @Property({ type: 'double', default: 7 })
  halfLifeDays: number = 7;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
