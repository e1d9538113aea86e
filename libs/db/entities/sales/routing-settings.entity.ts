import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export const ROUTING_SETTINGS_ID = 1;
export const SLA_BREACH_ACTIONS = ['reassign', 'escalate'] as const;
export type SlaBreachAction = (typeof SLA_BREACH_ACTIONS)[number];

/**
 * How MQLs are handed to sales (one row): the routing rules (a segment condition and the reps it
 * sends leads to, tried in order; every active rep when none matches), how long an owner has to
 * accept, what happens when the time is up, and the notifications.
 */
@Entity({ tableName: 'routing_settings' })
export class RoutingSettings {
  [OptionalProps]?: 'rules' | 'slaMinutes' | 'onSlaBreach' | 'maxReassignments' | 'escalationEmail' | 'webhookUrl' | 'emailSubject' | 'emailText' | 'updatedAt' | 'updatedByKeyId';

  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id: number = ROUTING_SETTINGS_ID;

  /** `[{ id, name, when, repIds }]`, as validated by the API. */
  @Property({ type: 'json' })
  rules: unknown[] = [];

  /** Minutes an owner has to accept or reject. */
  @Property({ type: 'integer', default: 240 })
  slaMinutes: number = 240;

  @Property({ type: 'string', length: 16, default: 'reassign' })
  onSlaBreach: SlaBreachAction = 'reassign';

  /** Reassignments after missed SLAs before the hand-off is escalated instead. */
  @Property({ type: 'integer', default: 2 })
  maxReassignments: number = 2;

  /** Who hears of a hand-off nobody accepted in time. */
  @Property({ type: 'string', length: 320, nullable: true })
  escalationEmail: string | null = null;

  /** Where the signed hand-off webhook goes for reps without a URL of their own; none when null. */
  @Property({ type: 'text', nullable: true })
  webhookUrl: string | null = null;

  /** The owner's email (handlebars); the built-in one when null. */
  @Property({ type: 'text', nullable: true })
  emailSubject: string | null = null;

  @Property({ type: 'text', nullable: true })
  emailText: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  @Property({ type: 'uuid', nullable: true })
  updatedByKeyId: string | null = null;
}
