import { Entity, Index, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Lead } from '../audience/lead.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { Message } from '../messaging/message.entity';

/** One interaction of a lead with marketing: an email click or open, a visit, an ad click… */
@Entity({ tableName: 'touchpoints' })
@Index({ properties: ['lead', 'occurredAt'] })
@Index({ properties: ['campaign', 'type'] })
// Behaviour conditions in segments ("clicked an email in the last 30 days") are answered from
// this index alone (an index-only scan), without visiting the table.
@Index({
  name: 'touchpoints_type_channel_occurred_at_index',
  expression:
    'create index "touchpoints_type_channel_occurred_at_index" on "touchpoints" ("type", "channel", "occurred_at") include ("lead_id", "campaign_id")',
})
export class Touchpoint extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'campaign' | 'message' | 'url' | 'externalId' | 'properties' | 'visitorId' | 'source' | 'medium' | 'utmCampaign';

  /** Null while the visitor is anonymous; set for all their touchpoints when they identify. */
  @ManyToOne(() => Lead, { deleteRule: 'cascade', nullable: true })
  lead!: Lead | null;

  /** The website's or ad platform's id for an anonymous visitor. */
  @Property({ type: 'string', length: 200, nullable: true, index: true })
  visitorId: string | null = null;

  /** Where it came from (`utm_source`, `utm_medium`, `utm_campaign`), as sent. */
  @Property({ type: 'string', length: 200, nullable: true })
  source: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  medium: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  utmCampaign: string | null = null;

  @ManyToOne(() => Campaign, { nullable: true, deleteRule: 'set null' })
  campaign: Campaign | null = null;

  @Property({ type: 'string', length: 32 })
  channel!: string;

  @Property({ type: 'string', length: 32 })
  type!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt!: Date;

  @ManyToOne(() => Message, { nullable: true, deleteRule: 'set null' })
  message: Message | null = null;

  @Property({ type: 'text', nullable: true })
  url: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true, unique: true })
  externalId: string | null = null;

  @Property({ type: 'json' })
  properties: Record<string, unknown> = {};
}
