import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Flow } from '../flows/flow.entity';
import { FlowVersion } from '../flows/flow-version.entity';

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'launching', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CHANNELS = ['email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Who a campaign is for: explicit leads, or a segment whose members are snapshotted at launch. */
export interface CampaignAudience {
  leadIds?: string[];
  segmentId?: string;
}

@Entity({ tableName: 'campaigns' })
export class Campaign extends BaseEntity {
  [OptionalProps]?:
    | 'createdAt'
    | 'status'
    | 'flowVersion'
    | 'launchedAt'
    | 'audienceSnapshotAt'
    | 'audienceSize'
    | 'scheduledAt'
    | 'endsAt'
    | 'endedAt'
    | 'pausedAt'
    | 'timeZone'
    | 'sendRatePerMinute';

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne(() => Flow)
  flow!: Flow;

  /** The flow version snapshotted at launch. */
  @ManyToOne(() => FlowVersion, { nullable: true })
  flowVersion: FlowVersion | null = null;

  @Property({ type: 'string', length: 32 })
  channel!: Channel;

  @Property({ type: 'string', length: 16 })
  status: CampaignStatus = 'draft';

  @Property({ type: 'json' })
  audience!: CampaignAudience;

  /** The currency the campaign reports in (ISO 4217). */
  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  launchedAt: Date | null = null;

  /** When the audience was copied into campaign_audience at launch; set once. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  audienceSnapshotAt: Date | null = null;

  /** Leads in the snapshot, before consent is checked. */
  @Property({ type: 'integer', nullable: true })
  audienceSize: number | null = null;

  /** A scheduled launch: enrollment starts at this time. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  scheduledAt: Date | null = null;

  /** After this time every running enrollment ends (reason `campaign_ended`). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  endsAt: Date | null = null;

  /** When the campaign completed or was cancelled. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  endedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  pausedAt: Date | null = null;

  /** IANA time zone for `wait_until` steps that use the campaign's clock. */
  @Property({ type: 'string', length: 64, default: 'UTC' })
  timeZone: string = 'UTC';

  /** At most this many emails a minute for this campaign; null means only the overall limit applies. */
  @Property({ type: 'integer', nullable: true })
  sendRatePerMinute: number | null = null;
}
