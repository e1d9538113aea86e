import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { MISSING_VARIABLE_POLICIES, MissingVariablePolicy, TEMPLATE_KINDS, TemplateKind } from '@ce/db';

const MAX_DEFAULTS = 200;

/** Optional, but not nullable: `null` is refused rather than written to a required column. */
const Omittable = () => ValidateIf((_object, value) => value !== undefined);

/** An object of variable name → default text. */
function IsVariableDefaults(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isVariableDefaults',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return entries.length <= MAX_DEFAULTS && entries.every(([name, text]) =>
            name.length > 0 && name.length <= 200 && typeof text === 'string' && text.length <= 10_000);
        },
        defaultMessage: () =>
          `must be an object of variable names (as written, e.g. "lead.firstName") to text, at most ${MAX_DEFAULTS} of them`,
      },
    },
    options,
  );
}

const DEFAULTS_DOC = {
  type: 'object',
  additionalProperties: { type: 'string' },
  example: { 'lead.firstName': 'there' },
  description: 'Text for variables that have no value, by name as written.',
} as const;

export class CreateTemplateDto {
  @ApiProperty({ example: 'Welcome', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ enum: TEMPLATE_KINDS, default: 'email', description: '`layout`: wraps emails with `{{{body}}}`; `partial`: a fragment included as `{{> partialName}}`.' })
  @Omittable()
  @IsIn(TEMPLATE_KINDS)
  kind?: TemplateKind;

  @ApiPropertyOptional({ example: 'Welcome, {{lead.firstName}}!', description: 'Handlebars; not HTML-escaped. Required for email templates.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  subject?: string | null;

  @ApiProperty({
    example: '<p>Hi {{lead.firstName}}, <a href="https://example.com/start">get started</a>.</p>',
    description: 'Handlebars; variables are HTML-escaped. Every http(s) link is tracked when sent.',
  })
  @IsString()
  @Length(1, 500_000)
  html!: string;

  @ApiPropertyOptional({ nullable: true, description: 'Email templates only: the plain-text part; made from the HTML when absent.' })
  @IsOptional()
  @IsString()
  @MaxLength(500_000)
  text?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Email templates only: the layout it is placed in.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  layoutId?: string | null;

  @ApiPropertyOptional({ example: 'footer', description: 'Partials only, required: the name templates include it by; /^[a-z][a-z0-9_-]{0,63}$/, unique.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  partialName?: string | null;

  @ApiPropertyOptional({ enum: MISSING_VARIABLE_POLICIES, default: 'default', description: 'Email templates only: what a printed variable with no value does.' })
  @Omittable()
  @IsIn(MISSING_VARIABLE_POLICIES)
  missingVariables?: MissingVariablePolicy;

  @ApiPropertyOptional(DEFAULTS_DOC)
  @Omittable()
  @IsVariableDefaults()
  variableDefaults?: Record<string, string>;
}

/** Every field optional; `null` clears `text` and `layoutId`. The kind cannot change. */
export class UpdateTemplateDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @Omittable()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  subject?: string | null;

  @ApiPropertyOptional()
  @Omittable()
  @IsString()
  @Length(1, 500_000)
  html?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500_000)
  text?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  layoutId?: string | null;

  @ApiPropertyOptional({ description: 'Refused while other templates include the partial by its current name.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  partialName?: string | null;

  @ApiPropertyOptional({ enum: MISSING_VARIABLE_POLICIES })
  @Omittable()
  @IsIn(MISSING_VARIABLE_POLICIES)
  missingVariables?: MissingVariablePolicy;

  @ApiPropertyOptional(DEFAULTS_DOC)
  @Omittable()
  @IsVariableDefaults()
  variableDefaults?: Record<string, string>;
}

export class ListTemplatesQuery {
  @ApiPropertyOptional({ enum: TEMPLATE_KINDS })
  @IsOptional()
  @IsIn(TEMPLATE_KINDS)
  kind?: TemplateKind;
}

export class TemplateDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: TEMPLATE_KINDS })
  kind!: TemplateKind;

  @ApiProperty({ description: 'Empty for layouts and partials unless one was given.' })
  subject!: string;

  @ApiProperty()
  html!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  text!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' })
  layoutId!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  partialName!: string | null;

  @ApiProperty({ enum: MISSING_VARIABLE_POLICIES })
  missingVariables!: MissingVariablePolicy;

  @ApiProperty(DEFAULTS_DOC)
  variableDefaults!: Record<string, string>;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}
