import { Entity, PrimaryKeyProp, Property } from '@mikro-orm/core';

/**
 * What one unit of a currency was worth in the reporting currency on a day. Reports convert each
 * day's amounts at that day's rate (or the latest rate before it).
 */
@Entity({ tableName: 'currency_rates' })
export class CurrencyRate {
  [PrimaryKeyProp]?: ['currency', 'day'];

  @Property({ type: 'string', length: 3, primary: true })
  currency!: string;

  @Property({ type: 'date', primary: true })
  day!: string;

  /** Exact decimal, as text. */
  @Property({ type: 'decimal', precision: 24, scale: 12 })
  rate!: string;
}
