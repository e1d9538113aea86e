import type { Lead, SalesRep } from '@ce/db';
import { renderTemplate } from '@ce/mail';
import type { Contribution } from '@ce/scoring';
import { leadName, leadTemplateVariables } from '../send-email/render-lead-email';

/** The owner's email when the routing settings give none. */
export const DEFAULT_SUBJECT = 'New lead for you: {{lead.name}}{{#if lead.company}} ({{lead.company}}){{/if}}, score {{lead.score}}';
export const DEFAULT_TEXT = `Hello {{rep.name}},

{{lead.name}} is now a marketing-qualified lead and yours to follow up.
Please accept or reject it within {{slaText}}.

Score {{lead.score}}. Why:
{{#each reasons}}- {{this.name}}: {{this.points}}
{{/each}}
Email: {{lead.email}}
{{#if lead.company}}Company: {{lead.company}}
{{/if}}{{#if lead.jobTitle}}Job title: {{lead.jobTitle}}
{{/if}}
Open it: {{leadUrl}}
`;

/**
 * What the templates can use: the lead as campaign emails see it (`lead.firstName`,
 * `lead.company`, custom attributes…) with `lead.name`, the rep, the five largest reasons, the
 * time to answer and a link to the lead.
 */
export function handoffVariables(lead: Lead, rep: Pick<SalesRep, 'name' | 'email'>, reasons: readonly Contribution[], slaMinutes: number, publicBaseUrl: string): Record<string, unknown> {
  const base = leadTemplateVariables(lead, null);
  return {
    lead: { ...(base.lead as Record<string, unknown>), name: leadName(lead) },
    rep: { name: rep.name, email: rep.email },
    reasons: reasons.slice(0, 5).map((r) => ({ name: r.name, points: r.points })),
    slaMinutes,
    slaText: slaMinutes % 60 === 0 ? `${slaMinutes / 60} hour${slaMinutes === 60 ? '' : 's'}` : `${slaMinutes} minutes`,
    leadUrl: `${publicBaseUrl.replace(/\/$/, '')}/v1/sales/leads/${lead.id}`,
  };
}

/** Subject and plain text of a hand-off email, from the settings' templates or the defaults. */
export function handoffEmail(templates: { subject: string | null; text: string | null }, variables: Record<string, unknown>): { subject: string; text: string } {
  const rendered = renderTemplate({ subject: templates.subject ?? DEFAULT_SUBJECT, html: '', text: templates.text ?? DEFAULT_TEXT }, variables);
  // A line break in a name must not break the header.
  return { subject: rendered.subject.replace(/\s*[\r\n]+\s*/g, ' ').trim(), text: rendered.text };
}
