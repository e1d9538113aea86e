import type Handlebars from 'handlebars';
import { isBlank } from './template-helpers';
import { walkTemplate } from './template-outline';

export const MISSING_VARIABLE_POLICIES = ['reject', 'default'] as const;
export type MissingVariablePolicy = (typeof MISSING_VARIABLE_POLICIES)[number];

/**
 * The helper every printed top-level variable is routed through, so a missing value can be
 * replaced by its default or refused. Its name contains `]`, which no template can write,
 * so templates cannot call it themselves.
 */
export const VARIABLE_HELPER = 'ce]variable';

/** One render's policy and what it found missing, shared by the email, its layout and partials. */
export interface RenderPolicy {
  policy: MissingVariablePolicy;
  defaults: Record<string, string>;
  missing: Set<string>;
}

/** Thrown from inside handlebars when `reject` meets a missing value; turned into TemplateRenderError. */
export class MissingVariableSignal extends Error {
  constructor(readonly variable: string) {
    super(`${variable} has no value, and the template rejects missing variables`);
  }
}

/**
 * Rewrites the parsed template so each printed top-level variable (`{{lead.firstName}}`, or
 * the value given to `formatDate`/`formatCurrency`) goes through VARIABLE_HELPER with its
 * name. `slot` names a variable left alone: the layout's `body`.
 */
export function routeVariablesThroughPolicy(program: hbs.AST.Program, slot?: string): void {
  walkTemplate(program, {
    variable({ name, absolute, site }) {
      if (site.kind === 'reference' || (name === slot && !absolute)) return;
      if (site.kind === 'output') {
        const { statement } = site;
        const original = statement.path as hbs.AST.PathExpression;
        statement.params = [original, stringLiteral(name, original.loc), booleanLiteral(absolute, original.loc)];
        statement.path = helperPath(original.loc);
      } else {
        const original = site.call.params[site.index];
        const call: hbs.AST.SubExpression = {
          type: 'SubExpression',
          path: helperPath(original.loc),
          params: [original, stringLiteral(name, original.loc), booleanLiteral(absolute, original.loc)],
          hash: undefined as unknown as hbs.AST.Hash,
          loc: original.loc,
        };
        site.call.params[site.index] = call;
      }
    },
  });
}

/** A pass-through, for rendering without a policy; each render supplies its own (below). */
export function registerVariableHelper(handlebars: typeof Handlebars): void {
  handlebars.registerHelper(VARIABLE_HELPER, (value: unknown) => value);
}

/**
 * The helper for one render of one part. `root` is the object that part is rendered with:
 * a variable written without `@root.` is only top-level when the helper runs in that context
 * (a partial included inside `{{#each}}` sees the list item instead, and is left alone).
 */
export function policyHelper(policy: RenderPolicy, root: unknown): Handlebars.HelperDelegate {
  return function (this: unknown, value: unknown, name: unknown, absolute: unknown) {
    if (!isBlank(value) || typeof name !== 'string') return value;
    if (absolute !== true && this !== root) return value;
    policy.missing.add(name);
    const fallback = Object.prototype.hasOwnProperty.call(policy.defaults, name) ? policy.defaults[name] : undefined;
    if (typeof fallback === 'string') return fallback;
    if (policy.policy === 'reject') throw new MissingVariableSignal(name);
    return '';
  };
}

function helperPath(loc: hbs.AST.SourceLocation): hbs.AST.PathExpression {
  return { type: 'PathExpression', data: false, depth: 0, parts: [VARIABLE_HELPER], original: VARIABLE_HELPER, loc };
}

function stringLiteral(value: string, loc: hbs.AST.SourceLocation): hbs.AST.StringLiteral {
  return { type: 'StringLiteral', value, original: value, loc };
}

function booleanLiteral(value: boolean, loc: hbs.AST.SourceLocation): hbs.AST.BooleanLiteral {
  return { type: 'BooleanLiteral', value, original: value, loc };
}
