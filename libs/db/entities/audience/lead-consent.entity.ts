import { Entity, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Lead } from './lead.entity';

export const CONSENT_CHANNELS = ['email', 'sms'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CONSENT_STATUSES = ['subscribed', 'unsubscribed', 'bounced', 'complained'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/**
 * A lead's consent for one channel, with when and how it last changed. A lead with no row, or
 * any status but subscribed, is neither enrolled nor sent to on that channel.
 */
@Entity({ tableName: 'lead_consents' })
@Unique({ properties: ['lead', 'channel'] })
export class LeadConsent extends BaseEntity {
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => Lead, { deleteRule: 'cascade' })
  lead!: Lead;

  @Property({ type: 'string', length: 16 })
  channel!: ConsentChannel;

  @Property({ type: 'string', length: 16 })
  status!: ConsentStatus;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  changedAt!: Date;

  /** What recorded it: api, import, unsubscribe_link, bounce, merge… */
  @Property({ type: 'string', length: 64 })
  source!: string;
}
