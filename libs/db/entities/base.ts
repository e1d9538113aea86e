import { randomUUID } from 'node:crypto';
import { PrimaryKey, Property } from '@mikro-orm/core';

/** Id and creation time, shared by every entity. Ids are random UUIDs made by the application. */
export abstract class BaseEntity {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
