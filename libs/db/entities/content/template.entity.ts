import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { BaseEntity } from '../base';

export const TEMPLATE_KINDS = ['email', 'layout', 'partial'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export const MISSING_VARIABLE_POLICIES = ['reject', 'default'] as const;
export type MissingVariablePolicy = (typeof MISSING_VARIABLE_POLICIES)[number];

/**
 * A handlebars template. `email` templates have a subject, HTML and optional plain text and
 * may sit inside a `layout` (whose HTML places the body with `{{{body}}}`); `partial`
 * templates are HTML fragments other templates include by name (`{{> footer}}`).
 */
@Entity({ tableName: 'templates' })
export class Template extends BaseEntity {
  [OptionalProps]?:
    | 'createdAt'
    | 'updatedAt'
    | 'text'
    | 'kind'
    | 'layout'
    | 'partialName'
    | 'missingVariables'
    | 'variableDefaults';

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 16, default: 'email' })
  kind: TemplateKind = 'email';

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text' })
  html!: string;

  @Property({ type: 'text', nullable: true })
  text: string | null = null;

  /** Email templates only: the layout the body is placed in. */
  @ManyToOne(() => Template, { nullable: true, deleteRule: 'restrict' })
  layout: Template | null = null;

  /** Partials only: the name templates include it by. */
  @Property({ type: 'string', length: 64, nullable: true, unique: true })
  partialName: string | null = null;

  /**
   * What happens when a variable the template uses has no value for a lead: `reject` refuses
   * to publish a flow that sends it unless every variable is known, and fails that lead's send
   * when a value is missing; `default` renders `variableDefaults[name]` (or nothing).
   */
  @Property({ type: 'string', length: 16, default: 'default' })
  missingVariables: MissingVariablePolicy = 'default';

  @Property({ type: 'json', default: '{}' })
  variableDefaults: Record<string, string> = {};

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
