import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'date', 'enum'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** A custom lead attribute declared through the API; every lead write is checked against these. */
@Entity({ tableName: 'attribute_definitions' })
export class AttributeDefinition extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'required' | 'options' | 'label';

  /** lower_snake_case; the key in `leads.attributes`. */
  @Property({ type: 'string', length: 63, unique: true })
  name!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  label: string | null = null;

  @Property({ type: 'string', length: 16 })
  type!: AttributeType;

  @Property({ type: 'boolean' })
  required: boolean = false;

  /** The allowed values of an enum attribute. */
  @Property({ type: 'json', nullable: true })
  options: string[] | null = null;
}
