import { Entity, Index, PrimaryKeyProp, Property } from '@mikro-orm/core';

/**
 * Participation counted by day × campaign × channel, kept up to date by triggers as enrollments,
 * messages and touchpoints are written: reports read these rows, not the raw tables. They count
 * what happened: deleting the rows they came from (an erasure, a cascade) takes nothing away.
 */
@Entity({ tableName: 'participation_rollups' })
// The per-campaign report reads one campaign over any range.
@Index({ properties: ['campaignKey', 'day'] })
export class ParticipationRollup {
  [PrimaryKeyProp]?: ['day', 'campaignKey', 'channel'];

  @Property({ type: 'date', primary: true })
  day!: string;

  /** The campaign's id, or `NO_CAMPAIGN`. */
  @Property({ type: 'uuid', primary: true })
  campaignKey!: string;

  @Property({ type: 'string', length: 32, primary: true })
  channel!: string;

  /** Enrollments created that day, under the campaign's own channel. */
  @Property({ type: 'integer', default: 0 })
  enrolled: number = 0;

  /** Messages that reached `handed_over` or `sent` that day, each once. */
  @Property({ type: 'integer', default: 0 })
  delivered: number = 0;

  /** Leads whose first open of the campaign in the channel was that day. */
  @Property({ type: 'integer', default: 0 })
  opened: number = 0;

  /** Leads whose first click of the campaign in the channel was that day. */
  @Property({ type: 'integer', default: 0 })
  clicked: number = 0;

  /** Leads whose first open or click of the campaign in the channel was that day. */
  @Property({ type: 'integer', default: 0 })
  engaged: number = 0;

  /** Leads whose first touchpoint of any type of the campaign in the channel was that day. */
  @Property({ type: 'integer', default: 0 })
  reached: number = 0;

  /** Leads whose first touchpoint of all was that day, in this campaign and channel (first-touch acquisition). */
  @Property({ type: 'integer', default: 0 })
  newLeads: number = 0;
}
