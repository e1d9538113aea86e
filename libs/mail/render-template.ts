import { describeError, handlebars, KNOWN_HELPERS, prepareTemplate, PreparedTemplate, TemplateDelegate, TemplateVersion } from './compiled-templates';
import { htmlToText } from './html-to-text';
import { MissingVariablePolicy, MissingVariableSignal, policyHelper, RenderPolicy, VARIABLE_HELPER } from './missing-variables';
import { TemplateInvalidError, TemplatePart, TemplateRenderError } from './template.errors';

export interface EmailTemplateSource extends TemplateVersion {
  subject: string;
  html: string;
  /** Plain-text part; when absent or blank it is derived from the final HTML. */
  text?: string | null;
  /** What a printed variable with no value does; `default` when absent. */
  missingVariables?: MissingVariablePolicy;
  /** Values for variables that have none, by name as written (`lead.firstName`). */
  variableDefaults?: Record<string, string>;
}

/** A layout's HTML places the rendered email with `{{{body}}}`. */
export interface LayoutSource extends TemplateVersion {
  html: string;
}

export interface PartialSource extends TemplateVersion {
  html: string;
}

/** An email template with everything it needs: its layout and the partials, by name. */
export interface EmailTemplateBundle {
  template: EmailTemplateSource;
  layout?: LayoutSource | null;
  partials?: Record<string, PartialSource>;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface RenderedTemplate extends RenderedEmail {
  /** Printed variables that had no value: rendered as their default or as nothing. */
  missingVariables: string[];
}

export interface TemplateProblem {
  part: TemplatePart;
  message: string;
}

/**
 * Renders an email for one set of variables: the email's HTML inside its layout's
 * `{{{body}}}`, partials given to this render only. The HTML escapes every value; subject and
 * text are not HTML, so they do not. Throws `TemplateInvalidError` when a part does not parse
 * and `TemplateRenderError` when rendering fails, including a missing value under `reject`.
 */
export function renderEmail(bundle: EmailTemplateBundle, variables: Record<string, unknown>): RenderedTemplate {
  const { template, layout } = bundle;
  const policy: RenderPolicy = {
    policy: template.missingVariables ?? 'default',
    defaults: template.variableDefaults ?? {},
    missing: new Set(),
  };
  const version = { id: template.id, updatedAt: template.updatedAt };
  const parts = {
    subject: prepareTemplate('subject', template.subject, version),
    html: prepareTemplate('html', template.html, version),
    text: hasText(template.text) ? prepareTemplate('text', template.text, version) : null,
    layout: layout ? prepareTemplate('layout', layout.html, layout) : null,
  };
  const partials = reachablePartials(bundle, [parts.subject, parts.html, parts.text, parts.layout]);

  // A header cannot hold line breaks; a variable with one should not break the subject.
  const subject = renderPart('subject', parts.subject, variables, policy, partials).replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const body = renderPart('html', parts.html, variables, policy, partials);
  const html = parts.layout ? renderPart('layout', parts.layout, { ...variables, body }, policy, partials) : body;
  const text = parts.text ? renderPart('text', parts.text, variables, policy, partials) : htmlToText(html);
  return { subject, html, text, missingVariables: [...policy.missing].sort() };
}

/** Renders a template with no layout or partials; missing variables render as nothing unless it says otherwise. */
export function renderTemplate(template: EmailTemplateSource, variables: Record<string, unknown>): RenderedEmail {
  const { subject, html, text } = renderEmail({ template }, variables);
  return { subject, html, text };
}

export interface TemplateVariable {
  /** As written: `lead.firstName`, `campaign.name`. */
  name: string;
  /** Printed somewhere (so the missing-variable policy covers it), not only tested or looped over. */
  printed: boolean;
}

/**
 * The top-level variables an email uses, with its layout and the partials it includes, sorted
 * by name. Throws `TemplateInvalidError` when a part does not parse.
 */
export function listTemplateVariables(bundle: EmailTemplateBundle): TemplateVariable[] {
  const { template, layout } = bundle;
  const version = { id: template.id, updatedAt: template.updatedAt };
  const found = new Map<string, boolean>();
  const add = (entry: PreparedTemplate | null, atTop: boolean, skip?: string) => {
    for (const v of entry?.outline.variables ?? [])
      if ((atTop || v.absolute) && !(v.name === skip && !v.absolute)) found.set(v.name, (found.get(v.name) ?? false) || v.printed);
  };
  const roots = [
    prepareTemplate('subject', template.subject, version),
    prepareTemplate('html', template.html, version),
    hasText(template.text) ? prepareTemplate('text', template.text, version) : null,
  ];
  for (const root of roots) add(root, true);
  const layoutEntry = layout ? prepareTemplate('layout', layout.html, layout) : null;
  add(layoutEntry, true, 'body');

  const seen = new Set<string>();
  const follow = (entry: PreparedTemplate | null, atTop: boolean) => {
    for (const call of entry?.outline.partials ?? []) {
      const source = call.name === null ? undefined : ownValue(bundle.partials, call.name);
      const top = atTop && call.atTop;
      if (!source || seen.has(`${call.name}\u0000${top}`)) continue;
      seen.add(`${call.name}\u0000${top}`);
      const partial = preparePartial(call.name as string, source);
      add(partial, top);
      follow(partial, top);
    }
  };
  for (const root of [...roots, layoutEntry]) follow(root, true);
  return [...found].map(([name, printed]) => ({ name, printed })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Every part that does not compile, with handlebars' explanation; empty when the template is
 * fine. Also reports helpers that do not exist, which would otherwise fail only at send time.
 */
export function checkTemplateSyntax(template: { subject?: string | null; html: string; text?: string | null }): TemplateProblem[] {
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
      problems.push({ part, message: describeError(error) });
    }
  }
  return problems;
}

/** The compiled partials the parts can reach, by name; only these are handed to the render. */
function reachablePartials(bundle: EmailTemplateBundle, roots: (PreparedTemplate | null)[]): Record<string, TemplateDelegate> {
  const partials: Record<string, TemplateDelegate> = {};
  const queue = roots.flatMap((root) => root?.outline.partials.map((call) => call.name) ?? []);
  while (queue.length > 0) {
    const name = queue.shift();
    if (name === null || name === undefined || Object.prototype.hasOwnProperty.call(partials, name)) continue;
    const source = ownValue(bundle.partials, name);
    // An unknown partial is left for handlebars to report when the render reaches it.
    if (!source) continue;
    const partial = preparePartial(name, source);
    partials[name] = partial.render;
    queue.push(...partial.outline.partials.map((call) => call.name));
  }
  return partials;
}

function preparePartial(name: string, source: PartialSource): PreparedTemplate {
  return prepareTemplate('partial', source.html, source, `"${name}": `);
}

function renderPart(
  part: TemplatePart,
  entry: PreparedTemplate,
  context: Record<string, unknown>,
  policy: RenderPolicy,
  partials: Record<string, TemplateDelegate>,
): string {
  try {
    return entry.render(context, { partials, helpers: { [VARIABLE_HELPER]: policyHelper(policy, context) } });
  } catch (error) {
    if (error instanceof MissingVariableSignal) throw new TemplateRenderError(part, error.message, error.variable);
    if (error instanceof TemplateInvalidError || error instanceof TemplateRenderError) throw error;
    throw new TemplateRenderError(part, describeError(error));
  }
}

function ownValue<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function hasText(text: string | null | undefined): text is string {
  return typeof text === 'string' && text.trim() !== '';
}
