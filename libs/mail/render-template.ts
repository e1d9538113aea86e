import Handlebars from 'handlebars';
import { htmlToText } from './html-to-text';
import { TEMPLATE_HELPER_NAMES, registerTemplateHelpers } from './template-helpers';
import { TemplateInvalidError, TemplatePart, TemplateRenderError } from './template.errors';

export interface EmailTemplateSource {
  subject: string;
  html: string;
  /** Plain-text part; when absent or blank it is derived from the rendered HTML. */
  text?: string | null;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface TemplateProblem {
  part: TemplatePart;
  message: string;
}

type TemplateDelegate = Handlebars.TemplateDelegate<Record<string, unknown>>;

/** Our own instance, so helpers registered here never leak into (or from) other code. */
const handlebars = Handlebars.create();
registerTemplateHelpers(handlebars);

const KNOWN_HELPERS = Object.fromEntries(TEMPLATE_HELPER_NAMES.map((name) => [name, true]));
const CACHE_LIMIT = 500;
const compiledTemplates = new Map<string, TemplateDelegate>();

/**
 * Renders a template with the lead's variables. The HTML part escapes every value; the
 * subject and text parts are not HTML, so they do not. Throws `TemplateInvalidError` when a
 * part does not compile and `TemplateRenderError` when it fails while rendering.
 */
export function renderTemplate(template: EmailTemplateSource, variables: Record<string, unknown>): RenderedEmail {
  // A header cannot hold line breaks; a variable with one should not break the subject.
  const subject = renderPart('subject', template.subject, variables).replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const html = renderPart('html', template.html, variables);
  const text = hasText(template.text) ? renderPart('text', template.text, variables) : htmlToText(html);
  return { subject, html, text };
}

/**
 * Every part that does not compile, with handlebars' explanation; empty when the template is
 * fine. Also reports helpers that do not exist, which would otherwise fail only at send time.
 */
export function checkTemplateSyntax(template: EmailTemplateSource): TemplateProblem[] {
  const parts: [TemplatePart, string | null | undefined][] = [
    ['subject', template.subject],
    ['html', template.html],
    ['text', template.text],
  ];
  const problems: TemplateProblem[] = [];
  for (const [part, source] of parts) {
    if (typeof source !== 'string') continue;
    try {
      handlebars.precompile(source, { strict: false, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true });
    } catch (error) {
      problems.push({ part, message: describe(error) });
    }
  }
  return problems;
}

function renderPart(part: TemplatePart, source: string, variables: Record<string, unknown>): string {
  const template = compile(part, source);
  try {
    return template(variables);
  } catch (error) {
    throw new TemplateRenderError(part, describe(error));
  }
}

function compile(part: TemplatePart, source: string): TemplateDelegate {
  const escaped = part === 'html';
  const key = `${escaped ? 'html' : 'plain'}\u0000${source}`;
  const cached = compiledTemplates.get(key);
  if (cached) {
    // Re-insert so the Map's order is least recently used first.
    compiledTemplates.delete(key);
    compiledTemplates.set(key, cached);
    return cached;
  }

  const options: CompileOptions = { strict: false, noEscape: !escaped, knownHelpers: KNOWN_HELPERS };
  try {
    // compile() defers its work to the first call; precompile surfaces syntax errors now.
    handlebars.precompile(source, options);
  } catch (error) {
    throw new TemplateInvalidError(part, describe(error));
  }
  const template = handlebars.compile<Record<string, unknown>>(source, options);

  compiledTemplates.set(key, template);
  if (compiledTemplates.size > CACHE_LIMIT) {
    const oldest = compiledTemplates.keys().next().value;
    if (oldest !== undefined) compiledTemplates.delete(oldest);
  }
  return template;
}

function hasText(text: string | null | undefined): text is string {
  return typeof text === 'string' && text.trim() !== '';
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknownHelper = /unknown helper (\S+)/.exec(message);
  return unknownHelper ? `unknown helper "${unknownHelper[1]}"` : message;
}
