import { Entity, PrimaryKeyProp, Property } from '@mikro-orm/core';

/**
 * A data-driven model's weight for a channel, computed over all paths (converting and not) on a
 * schedule or on demand; conversions are credited from these.
 */
@Entity({ tableName: 'attribution_weights' })
export class ChannelWeight {
  [PrimaryKeyProp]?: ['model', 'channel'];

  @Property({ type: 'string', length: 32, primary: true })
  model!: string;

  @Property({ type: 'string', length: 32, primary: true })
  channel!: string;

  @Property({ type: 'double' })
  weight!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  computedAt!: Date;
}
