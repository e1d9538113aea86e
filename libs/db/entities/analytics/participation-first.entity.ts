import { Entity, ManyToOne, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Lead } from '../audience/lead.entity';

/** What a lead did first in a campaign and channel; each is counted once, on its day. */
export const PARTICIPATION_KINDS = ['opened', 'clicked', 'engaged', 'reached'] as const;
export type ParticipationKind = (typeof PARTICIPATION_KINDS)[number];

/**
 * The day a lead first opened, clicked, engaged with (opened or clicked) or was reached by
 * (any touchpoint) a campaign in a channel: the participation roll-ups count it on that day.
 * A late touchpoint earlier than the day recorded moves the day, and the count with it.
 */
@Entity({ tableName: 'participation_firsts' })
export class ParticipationFirst {
  [PrimaryKeyProp]?: ['lead', 'kind', 'campaignKey', 'channel'];

  @ManyToOne(() => Lead, { primary: true, deleteRule: 'cascade' })
  lead!: Lead;

  @Property({ type: 'string', length: 16, primary: true })
  kind!: ParticipationKind;

  /** The campaign's id, or `NO_CAMPAIGN`. */
  @Property({ type: 'uuid', primary: true })
  campaignKey!: string;

  @Property({ type: 'string', length: 32, primary: true })
  channel!: string;

  /** The UTC day of the first such touchpoint. */
  @Property({ type: 'date' })
  day!: string;
}
