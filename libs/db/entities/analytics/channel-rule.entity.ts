import { ArrayType, Check, Entity, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

/**
 * One of the operator's channel rules (`PUT /v1/channel-rules`), tried in `position` order
 * before the built-in defaults when touchpoints are ingested. `source` and `medium` are lists
 * of patterns (exact values, or with `*` wildcards), trimmed and lower-cased; null tests
 * nothing. The whole list is replaced at once, so every row of a list carries the same
 * `updatedAt`, which (with the count of rows) tells API processes that the rules changed.
 */
@Entity({ tableName: 'channel_rules' })
@Check({ name: 'channel_rules_source_or_medium_check', expression: 'source is not null or medium is not null' })
export class ChannelRule extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'source' | 'medium' | 'updatedByKeyId';

  /** 0 for the rule tried first. */
  @Property({ type: 'integer', unique: true })
  position!: number;

  @Property({ type: 'string', length: 32 })
  channel!: string;

  @Property({ type: ArrayType, nullable: true })
  source: string[] | null = null;

  @Property({ type: ArrayType, nullable: true })
  medium: string[] | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  /** The API key that last replaced the rules; null when set by the system. */
  @Property({ type: 'uuid', nullable: true })
  updatedByKeyId: string | null = null;
}
