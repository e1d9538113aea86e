export type TemplatePart = 'subject' | 'html' | 'text';

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
 * A part compiled but failed while rendering, e.g. a block helper that does not exist.
 * Rendering is deterministic, so retrying the same template and variables will fail again.
 */
export class TemplateRenderError extends Error {
  readonly code = 'TEMPLATE_RENDER_FAILED';
  constructor(
    readonly part: TemplatePart,
    readonly detail: string,
  ) {
    super(`Email template ${part} could not be rendered: ${detail}`);
    this.name = 'TemplateRenderError';
  }
}
