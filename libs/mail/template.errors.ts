/** Where in a template a problem is: a part of the email itself, its layout, or a partial. */
export type TemplatePart = 'subject' | 'html' | 'text' | 'layout' | 'partial';

/** A part of an email template does not compile (bad handlebars syntax, unknown helper). */
export class TemplateInvalidError extends Error {
  readonly code = 'TEMPLATE_INVALID';
  constructor(
    readonly part: TemplatePart,
    readonly detail: string,
  ) {
    super(`Email template ${part} is invalid: ${detail}`);
    this.name = 'TemplateInvalidError';
  }
}

/**
 * A part compiled but failed while rendering: a partial that does not exist, or a variable
 * with no value in a template whose policy rejects missing variables (then `variable` names
 * it). Rendering is deterministic, so retrying the same template and variables fails again.
 */
export class TemplateRenderError extends Error {
  readonly code = 'TEMPLATE_RENDER_FAILED';
  constructor(
    readonly part: TemplatePart,
    readonly detail: string,
    readonly variable: string | null = null,
  ) {
    super(`Email template ${part} could not be rendered: ${detail}`);
    this.name = 'TemplateRenderError';
  }
}
