import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { MissingVariablePolicy, Template, TemplateKind } from '@ce/db';
import { ConflictError, FieldProblem, UnprocessableError } from '@ce/errors';
import { checkTemplateSyntax, findPartialCycle, TemplateInvalidError, TemplatePart, templateReferences } from '@ce/mail';

export const PARTIAL_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/** A template as it would be saved. */
export interface TemplateCandidate {
  id: string;
  kind: TemplateKind;
  subject: string;
  html: string;
  text: string | null;
  layoutId: string | null;
  partialName: string | null;
  missingVariables: MissingVariablePolicy;
  variableDefaults: Record<string, string>;
}

/**
 * The rules a template must keep to be saved, and the checks before one is removed or a
 * partial renamed. Broken rules are 422 `TEMPLATE_INVALID` naming each field; a taken partial
 * name, or a template still in use, is 409 `CONFLICT`.
 */
@Injectable()
export class TemplateRules {
  constructor(private readonly em: EntityManager) {}

  async check(candidate: TemplateCandidate): Promise<void> {
    const syntax = checkTemplateSyntax(candidate);
    if (syntax.length > 0)
      throw new UnprocessableError('TEMPLATE_INVALID', 'The template does not compile.', syntax.map((p) => ({ path: p.part, message: p.message })));

    const problems = [...kindProblems(candidate), ...(await this.layoutProblems(candidate)), ...(await this.partialProblems(candidate))];
    if (problems.length > 0) throw new UnprocessableError('TEMPLATE_INVALID', 'The template breaks the rules for its kind.', problems);

    if (candidate.kind === 'partial' && candidate.partialName) {
      const taken = await this.em.count(Template, { partialName: candidate.partialName, id: { $ne: candidate.id } });
      if (taken > 0) throw partialNameTaken(candidate.partialName);
    }
  }

  /** Refuses when removing the template (or renaming the partial) would break others. */
  async assertUnused(template: Template, action: 'deleted' | 'renamed'): Promise<void> {
    const users = await this.usersOf(template);
    if (users.length === 0) return;
    const listed = users.slice(0, 5).join(', ') + (users.length > 5 ? `, and ${users.length - 5} more` : '');
    throw new ConflictError(`The ${template.kind} cannot be ${action}: ${listed} use it.`, [
      { path: action === 'renamed' ? 'partialName' : 'id', message: `is in use by ${listed}` },
    ]);
  }

  private async usersOf(template: Template): Promise<string[]> {
    if (template.kind === 'layout') {
      const emails = await this.em.find(Template, { layout: template.id }, { orderBy: { name: 'asc' } });
      return emails.map((t) => `template "${t.name}"`);
    }
    if (template.kind === 'partial') {
      const name = template.partialName ?? '';
      const candidates = await this.em.find(Template, { html: { $like: `%${name}%` }, id: { $ne: template.id } }, { orderBy: { name: 'asc' } });
      return candidates.filter((t) => includesOf(t.html).includes(name)).map((t) => `template "${t.name}"`);
    }
    // Email templates are named by flows: published versions, and drafts being edited.
    const steps = (column: string) =>
      `exists (select 1 from jsonb_each(case when jsonb_typeof(${column}->'steps') = 'object' then ${column}->'steps' else '{}'::jsonb end) s
               where s.value->>'templateId' = ?)`;
    const rows: { name: string }[] = await this.em.getConnection().execute(
      `select distinct f.name from flows f
        where ${steps('f.draft')} or exists (select 1 from flow_versions v where v.flow_id = f.id and ${steps('v.definition')})
        order by f.name`,
      [template.id, template.id],
    );
    return rows.map((row) => `flow "${row.name}"`);
  }

  private async layoutProblems(candidate: TemplateCandidate): Promise<FieldProblem[]> {
    if (candidate.kind !== 'email' || !candidate.layoutId) return [];
    const layout = await this.em.findOne(Template, candidate.layoutId);
    if (!layout) return [{ path: 'layoutId', message: `template ${candidate.layoutId} does not exist` }];
    if (layout.kind !== 'layout') return [{ path: 'layoutId', message: `template "${layout.name}" is ${article(layout.kind)} ${layout.kind}, not a layout` }];
    return [];
  }

  private async partialProblems(candidate: TemplateCandidate): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    for (const part of ['subject', 'text'] as const) {
      const source = candidate[part];
      if (source && referencesOf(source, part).partials.length > 0)
        problems.push({ path: part, message: 'cannot include partials: they are HTML, so they go in html' });
    }
    const own = referencesOf(candidate.html, 'html');
    if (own.dynamicPartials > 0) problems.push({ path: 'html', message: 'includes a partial by a computed name; name it, as in {{> footer}}' });
    if (own.partials.length === 0) return problems;

    const others = (await this.em.find(Template, { kind: 'partial', id: { $ne: candidate.id } })).filter((p) => p.partialName);
    const includes = new Map(others.map((p) => [p.partialName as string, p.html]));
    const self = candidate.kind === 'partial' ? candidate.partialName : null;
    for (const name of own.partials)
      if (!includes.has(name) && name !== self) problems.push({ path: 'html', message: `includes the partial "${name}", which does not exist` });

    if (self) {
      const cycle = findPartialCycle(self, (name) => {
        if (name === self) return own.partials;
        const html = includes.get(name);
        return html === undefined ? [] : includesOf(html);
      });
      if (cycle) problems.push({ path: 'html', message: `includes partials in a loop: ${cycle.join(' → ')}` });
    }
    return problems;
  }
}

function kindProblems(c: TemplateCandidate): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const onlyFor = (path: string, what: string) => problems.push({ path, message: `is only for ${what}` });
  if (c.kind === 'email') {
    if (c.subject.trim() === '') problems.push({ path: 'subject', message: 'is required for an email template' });
    if (c.partialName !== null) onlyFor('partialName', 'partials');
    return problems;
  }
  if (c.layoutId !== null) onlyFor('layoutId', 'email templates');
  if (c.text !== null) onlyFor('text', 'email templates');
  if (c.missingVariables !== 'default') problems.push({ path: 'missingVariables', message: `is set on the email templates that use the ${c.kind}` });
  if (Object.keys(c.variableDefaults).length > 0) problems.push({ path: 'variableDefaults', message: `are set on the email templates that use the ${c.kind}` });
  if (c.kind === 'layout') {
    if (c.partialName !== null) onlyFor('partialName', 'partials');
    const { topLevel, nested } = referencesOf(c.html, 'html').bodySlots;
    if (topLevel !== 1 || nested > 0)
      problems.push({
        path: 'html',
        message: `must contain {{{body}}} exactly once, outside any block (found ${topLevel} outside blocks and ${nested} inside)`,
      });
  } else if (c.partialName === null) {
    problems.push({ path: 'partialName', message: 'is required for a partial' });
  } else if (!PARTIAL_NAME.test(c.partialName)) {
    problems.push({ path: 'partialName', message: 'must be a lower-case letter, then up to 63 lower-case letters, digits, "_" or "-"' });
  }
  return problems;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

export function partialNameTaken(name: string): ConflictError {
  return new ConflictError(`A partial named "${name}" exists already.`, [{ path: 'partialName', message: 'is taken by another partial' }]);
}

function referencesOf(source: string, part: TemplatePart): ReturnType<typeof templateReferences> {
  try {
    return templateReferences(source, part);
  } catch (error) {
    // The syntax check runs first; this is for stored templates that no longer parse.
    if (error instanceof TemplateInvalidError) return { partials: [], dynamicPartials: 0, bodySlots: { topLevel: 0, nested: 0 } };
    throw error;
  }
}

function includesOf(html: string): string[] {
  return referencesOf(html, 'html').partials;
}
