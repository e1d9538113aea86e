import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A send-rate limiter: the next free send time for one key (`campaign:<id>`). Each send
 * reserves a slot by moving `nextAt` on by one interval in a single statement.
 */
@Entity({ tableName: 'send_rate_slots' })
export class SendRateSlot {
  @PrimaryKey({ type: 'string', length: 100 })
  key!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  nextAt!: Date;
}
