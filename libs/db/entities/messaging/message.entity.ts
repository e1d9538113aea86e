import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Lead } from '../audience/lead.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { Enrollment } from '../campaigns/enrollment.entity';

/**
 * `sending`: claimed, not yet handed to the mail server. `handed_over`: the end of the message
 * was written to the mail server together with this mark, so a retry never sends it again.
 * `sent`: the server confirmed. `suppressed`: not sent for lack of consent. `bounced`: the server
 * refused the address for good. `failed`: could not be built (template gone or broken).
 */
export const MESSAGE_STATUSES = ['sending', 'handed_over', 'sent', 'suppressed', 'bounced', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * The send ledger: one row per (enrollment, step), enforced by the unique idempotency key,
 * so a retried or replayed send finds its row instead of sending again.
 */
@Entity({ tableName: 'messages' })
export class Message extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'status' | 'providerMessageId' | 'sentAt' | 'error' | 'subject' | 'notBefore';

  @Property({ type: 'string', length: 300, unique: true })
  idempotencyKey!: string;

  @ManyToOne(() => Enrollment, { deleteRule: 'cascade', index: true })
  enrollment!: Enrollment;

  @ManyToOne(() => Campaign, { deleteRule: 'cascade', index: true })
  campaign!: Campaign;

  @ManyToOne(() => Lead, { deleteRule: 'cascade', index: true })
  lead!: Lead;

  @Property({ type: 'string', length: 64 })
  stepId!: string;

  @Property({ type: 'string', length: 32 })
  channel!: string;

  @Property({ type: 'string', length: 16 })
  status: MessageStatus = 'sending';

  @Property({ type: 'text', nullable: true })
  subject: string | null = null;

  @Property({ type: 'string', length: 300, nullable: true })
  providerMessageId: string | null = null;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  /** The earliest time the send-rate limit lets this message go; reserved once, kept across retries. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  notBefore: Date | null = null;
}
