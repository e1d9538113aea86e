import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Flow } from '../flows/flow.entity';
import { FlowVersion } from '../flows/flow-version.entity';

export const CAMPAIGN_STATUSES = ['draft', 'launching', 'running', 'completed', 'cancelled'] as const;
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
  [OptionalProps]?: 'createdAt' | 'status' | 'flowVersion' | 'launchedAt' | 'audienceSnapshotAt' | 'audienceSize';

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
}
