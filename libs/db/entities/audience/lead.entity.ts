import { Entity, Index, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'disqualified'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** A person marketing reaches. Identity is the normalised (trimmed, lower-cased) email. */
@Entity({ tableName: 'leads' })
// Containment (attributes @> '{"plan":"pro"}') is how segments match attributes by equality.
@Index({ name: 'leads_attributes_gin', expression: 'create index "leads_attributes_gin" on "leads" using gin ("attributes" jsonb_path_ops)' })
@Index({ properties: ['createdAt'] })
export class Lead extends BaseEntity {
  [OptionalProps]?:
    | 'createdAt'
    | 'updatedAt'
    | 'attributes'
    | 'lifecycleStage'
    | 'score'
    | 'firstName'
    | 'lastName'
    | 'company'
    | 'jobTitle'
    | 'phone'
    | 'country'
    | 'timeZone'
    | 'sourceChannel'
    | 'ownerId'
    | 'tags';

  @Property({ type: 'string', length: 320, unique: true })
  email!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  firstName: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  lastName: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  company: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  jobTitle: string | null = null;

  @Property({ type: 'string', length: 50, nullable: true })
  phone: string | null = null;

  /** ISO 3166-1 alpha-2, upper case. */
  @Property({ type: 'string', length: 2, nullable: true })
  country: string | null = null;

  /** IANA time zone, e.g. Europe/Berlin. */
  @Property({ type: 'string', length: 64, nullable: true })
  timeZone: string | null = null;

  /** Where the lead came from: web, event, import, referral… */
  @Property({ type: 'string', length: 64, nullable: true })
  sourceChannel: string | null = null;

  /** Custom attributes, validated against the declared attribute definitions. */
  @Property({ type: 'json' })
  attributes: Record<string, unknown> = {};

  @Property({ type: 'string', length: 32, index: true })
  lifecycleStage: LifecycleStage = 'subscriber';

  @Property({ type: 'integer', index: true })
  score: number = 0;

  /** Free-form labels, set by flows (`update_lead`) and the API. */
  @Property({ type: 'array', columnType: 'text[]', default: '{}' })
  tags: string[] = [];

  /** The sales rep who owns the lead. */
  @Property({ type: 'uuid', nullable: true, index: true })
  ownerId: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
