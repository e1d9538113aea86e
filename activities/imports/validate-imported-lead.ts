import type { FieldProblem } from '@ce/errors';
import { AttributeRules, LeadRecord, parseLeadRecord } from '@ce/leads';

/** Checks an imported row as every lead write is checked: parseLeadRecord in create mode. */
export function validateImportedLead(raw: Record<string, unknown>, attributes: AttributeRules): { record: LeadRecord; problems: FieldProblem[] } {
  return parseLeadRecord(raw, { attributes, mode: 'create' });
}

/** The reason a row is rejected: each problem as `path: message`. */
export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
}
