import { BUILT_IN_HELPER_NAMES, FORMATTING_HELPER_NAMES, TEMPLATE_HELPER_NAMES } from './template-helpers';

/**
 * Reads a parsed handlebars template for what it uses: top-level variables, partials and the
 * layout's body slot. "Top level" means the variables the template is rendered with, as
 * opposed to names inside `{{#each}}` or `{{#with}}`, which belong to a list item or object.
 */

type Ast = hbs.AST.Node;
type Call = { path: hbs.AST.PathExpression | hbs.AST.Literal; params: hbs.AST.Expression[]; hash?: hbs.AST.Hash };

/** Where a variable appears; only `output` and `formatted` print its value. */
export type VariableSite =
  | { kind: 'output'; statement: hbs.AST.MustacheStatement }
  | { kind: 'formatted'; call: Call; index: number }
  | { kind: 'reference' };

export interface VariableVisit {
  /** The name as written, without `this.` or `@root.`: `lead.firstName`. */
  name: string;
  /** Written as `@root.…`, so it means the top-level variable wherever it appears. */
  absolute: boolean;
  /** Inside a `{{#if}}`, `{{#unless}}` or another block. */
  nested: boolean;
  site: VariableSite;
}

export interface PartialCallVisit {
  name: string | null;
  /** Rendered with the caller's own top-level variables: no arguments, not inside a loop. */
  atTop: boolean;
}

export interface TemplateVisitor {
  variable?(visit: VariableVisit): void;
  partial?(visit: PartialCallVisit): void;
  inlinePartial?(name: string): void;
}

interface Scope {
  /** How many blocks that change the context (`each`, `with`) enclose this point. */
  depth: number;
  nested: boolean;
}

const CONTEXT_KEEPING_BLOCKS = new Set(['if', 'unless']);
const FORMATTING = new Set(FORMATTING_HELPER_NAMES);
const HELPERS = new Set<string>([...TEMPLATE_HELPER_NAMES, ...BUILT_IN_HELPER_NAMES]);

export function walkTemplate(program: hbs.AST.Program, visitor: TemplateVisitor): void {
  walkProgram(program, { depth: 0, nested: false }, visitor);
}

function walkProgram(program: hbs.AST.Program | undefined, scope: Scope, visitor: TemplateVisitor): void {
  for (const statement of program?.body ?? []) walkStatement(statement, scope, visitor);
}

function walkStatement(node: Ast, scope: Scope, visitor: TemplateVisitor): void {
  switch (node.type) {
    case 'MustacheStatement': {
      const statement = node as hbs.AST.MustacheStatement;
      if (isPlainValue(statement)) visitPath(statement.path as hbs.AST.PathExpression, scope, visitor, { kind: 'output', statement });
      else visitCall(statement, scope, visitor);
      return;
    }
    case 'BlockStatement': {
      const block = node as hbs.AST.BlockStatement;
      visitCall(block, scope, visitor);
      const keepsContext = CONTEXT_KEEPING_BLOCKS.has(block.path.original);
      walkProgram(block.program, { depth: scope.depth + (keepsContext ? 0 : 1), nested: true }, visitor);
      walkProgram(block.inverse, { depth: scope.depth, nested: true }, visitor);
      return;
    }
    case 'DecoratorBlock': {
      // {{#*inline "name"}}…{{/inline}}: a partial defined in place, run where it is included.
      const block = node as hbs.AST.DecoratorBlock;
      const first = block.params[0];
      if (block.path.original === 'inline' && first?.type === 'StringLiteral') visitor.inlinePartial?.((first as hbs.AST.StringLiteral).value);
      walkProgram(block.program, { depth: scope.depth, nested: true }, visitor);
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement': {
      const partial = node as hbs.AST.PartialStatement | hbs.AST.PartialBlockStatement;
      const hasArguments = partial.params.length > 0 || (partial.hash?.pairs.length ?? 0) > 0;
      const name = partialName(partial.name as Ast);
      if (name !== '@partial-block') visitor.partial?.({ name, atTop: scope.depth === 0 && !hasArguments });
      for (const param of partial.params) visitExpression(param, scope, visitor, { kind: 'reference' });
      for (const pair of partial.hash?.pairs ?? []) visitExpression(pair.value, scope, visitor, { kind: 'reference' });
      if (partial.type === 'PartialBlockStatement')
        walkProgram(partial.program, { depth: scope.depth + (hasArguments ? 1 : 0), nested: true }, visitor);
      return;
    }
    default:
      return; // text and comments
  }
}

/** `{{name}}` or `{{{name}}}`: a value printed as it is, not a helper call. */
function isPlainValue(statement: hbs.AST.MustacheStatement): boolean {
  if (statement.path.type !== 'PathExpression' || statement.params.length > 0 || (statement.hash?.pairs.length ?? 0) > 0) return false;
  const path = statement.path as hbs.AST.PathExpression;
  return !(path.parts.length === 1 && !path.data && HELPERS.has(path.parts[0]));
}

function visitCall(call: Call, scope: Scope, visitor: TemplateVisitor): void {
  const helper = call.path.type === 'PathExpression' ? (call.path as hbs.AST.PathExpression).original : '';
  call.params.forEach((param, index) => {
    const site: VariableSite = index === 0 && FORMATTING.has(helper) ? { kind: 'formatted', call, index } : { kind: 'reference' };
    visitExpression(param, scope, visitor, site);
  });
  for (const pair of call.hash?.pairs ?? []) visitExpression(pair.value, scope, visitor, { kind: 'reference' });
}

function visitExpression(expression: hbs.AST.Expression, scope: Scope, visitor: TemplateVisitor, site: VariableSite): void {
  if (expression.type === 'PathExpression') visitPath(expression as hbs.AST.PathExpression, scope, visitor, site);
  else if (expression.type === 'SubExpression') visitCall(expression as hbs.AST.SubExpression, scope, visitor);
}

function visitPath(path: hbs.AST.PathExpression, scope: Scope, visitor: TemplateVisitor, site: VariableSite): void {
  if (path.data) {
    if (path.parts[0] === 'root' && path.parts.length > 1)
      visitor.variable?.({ name: path.parts.slice(1).join('.'), absolute: true, nested: scope.nested, site });
    return;
  }
  if (scope.depth === 0 && path.depth === 0 && path.parts.length > 0)
    visitor.variable?.({ name: path.parts.join('.'), absolute: false, nested: scope.nested, site });
}

/** The partial's name as written, or null when it is computed (`{{> (lookup …)}}`). */
function partialName(name: Ast): string | null {
  if (name.type === 'PathExpression') {
    const path = name as hbs.AST.PathExpression;
    return path.data ? `@${path.parts.join('.')}` : path.original;
  }
  if (name.type === 'StringLiteral' || name.type === 'NumberLiteral') return String((name as hbs.AST.StringLiteral).value);
  return null;
}

/** What a template uses, collected in one walk. */
export interface TemplateOutline {
  variables: { name: string; printed: boolean; absolute: boolean }[];
  partials: PartialCallVisit[];
  inlinePartials: string[];
  /** `{{{body}}}` outside any block, and inside one. */
  bodySlots: { topLevel: number; nested: number };
}

export function outlineTemplate(program: hbs.AST.Program): TemplateOutline {
  const outline: TemplateOutline = { variables: [], partials: [], inlinePartials: [], bodySlots: { topLevel: 0, nested: 0 } };
  walkTemplate(program, {
    variable(visit) {
      outline.variables.push({ name: visit.name, printed: visit.site.kind !== 'reference', absolute: visit.absolute });
      if (visit.name === 'body' && !visit.absolute && visit.site.kind === 'output' && !visit.site.statement.escaped) {
        if (visit.nested) outline.bodySlots.nested += 1;
        else outline.bodySlots.topLevel += 1;
      }
    },
    partial: (visit) => outline.partials.push(visit),
    inlinePartial: (name) => outline.inlinePartials.push(name),
  });
  return outline;
}
