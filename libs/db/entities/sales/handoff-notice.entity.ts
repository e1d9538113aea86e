import { Entity, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../base';

export const NOTICE_CHANNELS = ['email', 'webhook', 'escalation'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

/**
 * The ledger of hand-off notifications: at most one per hand-off, rep and channel, so that a
 * retry or a worker restart never notifies twice. `sending` is claimed first; an email is
 * marked `handed_over` just before its last byte and `sent` after; a webhook is `sent` when the
 * receiver took it; `failed` when it was given up on.
 */
@Entity({ tableName: 'handoff_notices' })
@Unique({ properties: ['handoffId', 'repId', 'channel'] })
export class HandoffNotice extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'status' | 'sentAt' | 'error';

  @Property({ type: 'uuid' })
  handoffId!: string;

  @Property({ type: 'uuid' })
  repId!: string;

  @Property({ type: 'string', length: 16 })
  channel!: NoticeChannel;

  @Property({ type: 'string', length: 16, default: 'sending' })
  status: 'sending' | 'handed_over' | 'sent' | 'failed' = 'sending';

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;
}
