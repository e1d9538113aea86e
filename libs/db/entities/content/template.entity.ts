import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

/** An email template: handlebars subject, HTML and optional plain text. */
@Entity({ tableName: 'templates' })
export class Template extends BaseEntity {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'text';

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text' })
  html!: string;

  @Property({ type: 'text', nullable: true })
  text: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
