import { Entity, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../base';
import { Lead } from './lead.entity';

/** A lead's id in another system (a CRM, a shop), unique per source system. */
@Entity({ tableName: 'lead_external_ids' })
@Unique({ properties: ['source', 'externalId'] })
export class LeadExternalId extends BaseEntity {
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => Lead, { deleteRule: 'cascade', index: true })
  lead!: Lead;

  @Property({ type: 'string', length: 64 })
  source!: string;

  @Property({ type: 'string', length: 200 })
  externalId!: string;
}
