import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign, Lead, Template } from '@ce/db';
import { EmailTemplateBundle, PartialSource } from '@ce/mail';

/** The template a step names no longer exists. */
export class TemplateMissingError extends Error {
  constructor(readonly templateId: string) {
    super(`template ${templateId} no longer exists`);
  }
}

/** The template a step names is a layout or a partial, which cannot be sent on its own. */
export class TemplateNotEmailError extends Error {
  constructor(readonly templateId: string, readonly kind: string) {
    super(`template ${templateId} is a ${kind}, not an email template`);
  }
}

/** The lead fields every template can use as `lead.<field>`, besides declared custom attributes. */
export const LEAD_TEMPLATE_FIELDS = [
  'id',
  'email',
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'phone',
  'country',
  'timeZone',
  'lifecycleStage',
  'score',
  'tags',
] as const;

/** How a lead is named to people: its first and last name, or its email when it has neither. */
export function leadName(lead: Pick<Lead, 'firstName' | 'lastName' | 'email'>): string {
  return [lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.email;
}

/** Campaign fields templates can use as `campaign.<field>`. */
export const CAMPAIGN_TEMPLATE_FIELDS = ['name'] as const;

type LeadFields = Pick<Lead, (typeof LEAD_TEMPLATE_FIELDS)[number] | 'attributes'>;

/**
 * The variables a template is rendered with for one lead: `lead` holds the custom attributes
 * and the standard fields (a standard field wins over an attribute of the same name), and
 * `campaign` its name. The send and the preview both build them here, so they always agree.
 */
export function leadTemplateVariables(lead: LeadFields, campaign: Pick<Campaign, 'name'> | null): Record<string, unknown> {
  const standard = Object.fromEntries(LEAD_TEMPLATE_FIELDS.map((field) => [field, lead[field]]));
  return {
    lead: { ...lead.attributes, ...standard },
    campaign: campaign ? { name: campaign.name } : {},
  };
}

/**
 * An email template with its layout and every partial, ready to render. Throws
 * `TemplateMissingError` when it is gone and `TemplateNotEmailError` for a layout or partial.
 */
export async function loadEmailTemplate(em: EntityManager, templateId: string): Promise<EmailTemplateBundle> {
  const template = await em.findOne(Template, templateId, { populate: ['layout'] });
  if (!template) throw new TemplateMissingError(templateId);
  if (template.kind !== 'email') throw new TemplateNotEmailError(templateId, template.kind);
  const partials: Record<string, PartialSource> = {};
  for (const partial of await em.find(Template, { kind: 'partial', partialName: { $ne: null } }))
    partials[partial.partialName as string] = { id: partial.id, updatedAt: partial.updatedAt, html: partial.html };
  const layout = template.layout;
  return {
    template: {
      id: template.id,
      updatedAt: template.updatedAt,
      subject: template.subject,
      html: template.html,
      text: template.text,
      missingVariables: template.missingVariables,
      variableDefaults: template.variableDefaults,
    },
    layout: layout ? { id: layout.id, updatedAt: layout.updatedAt, html: layout.html } : null,
    partials,
  };
}
