import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AttributeDefinition, Lead, Template } from '@ce/db';
import { NotFoundError, UnprocessableError } from '@ce/errors';
import { EmailTemplateBundle, listTemplateVariables, renderEmail, TemplateInvalidError, TemplateRenderError } from '@ce/mail';
import {
  CAMPAIGN_TEMPLATE_FIELDS,
  LEAD_TEMPLATE_FIELDS,
  leadTemplateVariables,
  loadEmailTemplate,
  TemplateMissingError,
  TemplateNotEmailError,
} from '@activities/send-email/render-lead-email';
import { PreviewTemplateDto, TemplatePreviewDto } from './dto/template-preview.dto';

/** How deep given variables are merged into the lead's; deeper values replace rather than merge. */
const MERGE_DEPTH = 8;

/**
 * Renders templates the way the send does (same loading, same lead variables, same policy),
 * and checks a template before a flow that sends it is published.
 */
@Injectable()
export class TemplatePreviews {
  constructor(private readonly em: EntityManager) {}

  async preview(templateId: string, input: PreviewTemplateDto): Promise<TemplatePreviewDto> {
    const bundle = await this.load(templateId);
    let variables: Record<string, unknown> = {};
    if (input.leadId) {
      const lead = await this.em.findOne(Lead, input.leadId);
      if (!lead) throw new NotFoundError('Lead', input.leadId);
      variables = leadTemplateVariables(lead, null);
    }
    if (input.variables) variables = mergeVariables(variables, input.variables, 0);
    try {
      const { subject, html, text, missingVariables } = renderEmail(bundle, variables);
      return { subject, html, text, missingVariables };
    } catch (error) {
      if (error instanceof TemplateRenderError) {
        const problem = error.variable
          ? { path: error.variable, message: 'has no value, and the template rejects missing variables' }
          : { path: error.part, message: error.detail };
        throw new UnprocessableError('TEMPLATE_RENDER_FAILED', error.message, [problem]);
      }
      if (error instanceof TemplateInvalidError)
        throw new UnprocessableError('TEMPLATE_INVALID', error.message, [{ path: error.part, message: error.detail }]);
      throw error;
    }
  }

  async publishProblems(templateId: string): Promise<string[]> {
    const template = await this.em.findOne(Template, templateId);
    if (!template) return [`template ${templateId} does not exist`];
    if (template.kind !== 'email') return [`template "${template.name}" is a ${template.kind}; only email templates can be sent`];

    let variables: ReturnType<typeof listTemplateVariables>;
    try {
      variables = listTemplateVariables(await loadEmailTemplate(this.em, templateId));
    } catch (error) {
      if (error instanceof TemplateInvalidError) return [`template "${template.name}" does not compile: ${error.message}`];
      throw error;
    }
    if (template.missingVariables !== 'reject') return [];

    const attributes = new Set((await this.em.find(AttributeDefinition, {})).map((d) => d.name));
    const known = new Set<string>([
      ...LEAD_TEMPLATE_FIELDS.map((field) => `lead.${field}`),
      ...[...attributes].map((name) => `lead.${name}`),
      ...CAMPAIGN_TEMPLATE_FIELDS.map((field) => `campaign.${field}`),
      ...Object.keys(template.variableDefaults),
    ]);
    return variables
      .filter((v) => v.printed && !known.has(v.name))
      .map((v) =>
        `template "${template.name}" rejects missing variables and prints ${v.name}, which is not a lead field, ` +
        'a declared lead attribute or campaign.name, and has no default',
      );
  }

  private async load(templateId: string): Promise<EmailTemplateBundle> {
    try {
      return await loadEmailTemplate(this.em, templateId);
    } catch (error) {
      if (error instanceof TemplateMissingError) throw new NotFoundError('Template', templateId);
      if (error instanceof TemplateNotEmailError)
        throw new UnprocessableError('TEMPLATE_NOT_EMAIL', `Only email templates can be previewed; this one is a ${error.kind}.`, [
          { path: 'id', message: `is a ${error.kind}, not an email template` },
        ]);
      throw error;
    }
  }
}

/** `extra` over `base`, objects merged key by key; keys that would reach prototypes are skipped. */
function mergeVariables(base: Record<string, unknown>, extra: Record<string, unknown>, depth: number): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) && depth < MERGE_DEPTH ? mergeVariables(current, value, depth + 1) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
