import { Entity, ManyToOne, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Lead } from '../audience/lead.entity';

/**
 * A lead's first touchpoint of all (first-touch acquisition): the participation roll-ups count
 * the lead as new once, on that touchpoint's day, under its campaign and channel. A late
 * touchpoint earlier than this one moves the count, possibly to another campaign or channel.
 */
@Entity({ tableName: 'participation_leads' })
export class ParticipationLead {
  [PrimaryKeyProp]?: 'lead';

  @ManyToOne(() => Lead, { primary: true, deleteRule: 'cascade' })
  lead!: Lead;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  firstAt!: Date;

  /** The campaign's id, or `NO_CAMPAIGN`. */
  @Property({ type: 'uuid' })
  campaignKey!: string;

  @Property({ type: 'string', length: 32 })
  channel!: string;
}
