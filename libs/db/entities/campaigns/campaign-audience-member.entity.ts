import { Entity, ManyToOne, PrimaryKeyProp } from '@mikro-orm/core';
import { Lead } from '../audience/lead.entity';
import { Campaign } from './campaign.entity';

/** A lead in a campaign's audience as it was snapshotted at launch. */
@Entity({ tableName: 'campaign_audience' })
export class CampaignAudienceMember {
  [PrimaryKeyProp]?: ['campaign', 'lead'];

  @ManyToOne(() => Campaign, { primary: true, deleteRule: 'cascade' })
  campaign!: Campaign;

  @ManyToOne(() => Lead, { primary: true, deleteRule: 'cascade' })
  lead!: Lead;
}
