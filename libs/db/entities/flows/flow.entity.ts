import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

/** A named flow; its content lives in immutable versions. */
@Entity({ tableName: 'flows' })
export class Flow extends BaseEntity {
  [OptionalProps]?: 'createdAt';

  @Property({ type: 'string', length: 200 })
  name!: string;
}
