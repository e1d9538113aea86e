import Handlebars from 'handlebars';
import { registerVariableHelper, routeVariablesThroughPolicy, VARIABLE_HELPER } from './missing-variables';
import { registerTemplateHelpers, TEMPLATE_HELPER_NAMES } from './template-helpers';
import { outlineTemplate, TemplateOutline } from './template-outline';
import { TemplateInvalidError, TemplatePart } from './template.errors';

export type TemplateDelegate = Handlebars.TemplateDelegate<unknown>;

/** A stored template's identity and version; when both are known, compiled templates are cached by them. */
export interface TemplateVersion {
  id?: string;
  updatedAt?: Date;
}

export interface PreparedTemplate {
  render: TemplateDelegate;
  outline: TemplateOutline;
}

/**
 * Our own handlebars instance with our helpers and no registered partials: partials are
 * handed to each render, so one render's partials never reach another.
 */
export const handlebars = Handlebars.create();
registerTemplateHelpers(handlebars);
registerVariableHelper(handlebars);

/** The helpers templates may call; the policy helper is deliberately not among them. */
export const KNOWN_HELPERS: Record<string, boolean> = Object.fromEntries(TEMPLATE_HELPER_NAMES.map((name) => [name, true]));
const RENDER_HELPERS = { ...KNOWN_HELPERS, [VARIABLE_HELPER]: true };

const CACHE_LIMIT = 500;
const prepared = new Map<string, PreparedTemplate>();

/**
 * Parses and compiles one part, once per template version (or per text when the version is
 * not known). Throws `TemplateInvalidError` when it does not parse; `label` prefixes the
 * explanation (e.g. which partial).
 */
export function prepareTemplate(part: TemplatePart, source: string, version: TemplateVersion = {}, label = ''): PreparedTemplate {
  const key = version.id && version.updatedAt
    ? `${part}\u0000${version.id}\u0000${new Date(version.updatedAt).getTime()}`
    : `${part}\u0000\u0000${source}`;
  const cached = prepared.get(key);
  if (cached) {
    // Re-insert so the Map's order is least recently used first.
    prepared.delete(key);
    prepared.set(key, cached);
    return cached;
  }

  let program: hbs.AST.Program;
  try {
    program = handlebars.parseWithoutProcessing(source);
  } catch (error) {
    throw new TemplateInvalidError(part, label + describeError(error));
  }
  const outline = outlineTemplate(program);
  routeVariablesThroughPolicy(program, part === 'layout' ? 'body' : undefined);
  const escaped = part !== 'subject' && part !== 'text';
  const render = handlebars.compile<unknown>(program, { strict: false, noEscape: !escaped, knownHelpers: RENDER_HELPERS });
  const entry = { render, outline };

  prepared.set(key, entry);
  if (prepared.size > CACHE_LIMIT) {
    const oldest = prepared.keys().next().value;
    if (oldest !== undefined) prepared.delete(oldest);
  }
  return entry;
}

/** Handlebars' explanation, with the unknown-helper case said plainly. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknownHelper = /unknown helper (\S+)/.exec(message);
  return unknownHelper ? `unknown helper "${unknownHelper[1]}"` : message;
}
