import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Flow } from '../flows/flow.entity';
import { FlowVersion } from '../flows/flow-version.entity';

export const CAMPAIGN_STATUSES = ['draft', 'launching', 'running', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CHANNELS = ['email'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface CampaignAudience {
  leadIds: string[];
}

@Entity({ tableName: 'campaigns' })
export class Campaign extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'status' | 'flowVersion' | 'launchedAt';

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
}
