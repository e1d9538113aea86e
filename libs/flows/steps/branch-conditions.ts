import type { SegmentCondition } from '@ce/segments';
import { FlowEvent, FlowProblem, FlowReference } from '../flow.types';
import { isObject } from './step-helpers';
import { eventMatches } from './wait-for-event.step';

/**
 * A branch condition: `lead` tests the lead in the database with the segment language (fields,
 * attributes, score, stage, consent, behaviour, segment membership); `event` tests what happened
 * in this enrollment (e.g. the lead opened step `welcome`'s email); `all`, `any`, `not` combine.
 */
export type BranchCondition =
  | { lead: SegmentCondition }
  | { event: { type: string; step?: string; link?: string } }
  | { all: BranchCondition[] }
  | { any: BranchCondition[] }
  | { not: BranchCondition };

const KINDS = ['lead', 'event', 'all', 'any', 'not'] as const;
const MAX_DEPTH = 8;

/** Checks a condition's shape; `lead` conditions are checked later against the database. */
export function checkCondition(node: unknown, path: string, depth = 0): { problems: FlowProblem[]; references: FlowReference[]; mentions: { stepId: string; path: string }[] } {
  const out = { problems: [] as FlowProblem[], references: [] as FlowReference[], mentions: [] as { stepId: string; path: string }[] };
  const kinds = isObject(node) ? KINDS.filter((k) => Object.hasOwn(node, k)) : [];
  if (!isObject(node) || kinds.length !== 1 || Object.keys(node).length !== 1) {
    out.problems.push({ path, message: `must be an object with exactly one of ${KINDS.join(', ')}` });
    return out;
  }
  if (depth > MAX_DEPTH) {
    out.problems.push({ path, message: `conditions nest at most ${MAX_DEPTH} deep` });
    return out;
  }
  const kind = kinds[0];
  const value = node[kind];
  const merge = (inner: ReturnType<typeof checkCondition>) => {
    out.problems.push(...inner.problems);
    out.references.push(...inner.references);
    out.mentions.push(...inner.mentions);
  };
  if (kind === 'lead') out.references.push({ kind: 'condition', condition: value, path: `${path}.lead` });
  else if (kind === 'event') {
    if (!isObject(value) || typeof value.type !== 'string' || !/^[a-z][a-z0-9_]{0,63}$/.test(value.type))
      out.problems.push({ path: `${path}.event.type`, message: 'must be an event type such as opened, clicked or converted' });
    else if (typeof value.step === 'string') out.mentions.push({ stepId: value.step, path: `${path}.event.step` });
  } else if (kind === 'not') merge(checkCondition(value, `${path}.not`, depth + 1));
  else if (!Array.isArray(value) || value.length === 0) out.problems.push({ path: `${path}.${kind}`, message: 'must be a non-empty list of conditions' });
  else value.forEach((child, i) => merge(checkCondition(child, `${path}.${kind}[${i}]`, depth + 1)));
  return out;
}

/** The `lead` conditions of several trees, in order, for one database lookup. */
export function leadConditions(conditions: BranchCondition[]): SegmentCondition[] {
  const found: SegmentCondition[] = [];
  const visit = (node: BranchCondition) => {
    if ('lead' in node) found.push(node.lead);
    else if ('all' in node) node.all.forEach(visit);
    else if ('any' in node) node.any.forEach(visit);
    else if ('not' in node) visit(node.not);
  };
  conditions.forEach(visit);
  return found;
}

/**
 * Evaluates trees in order with the answers to their `lead` conditions (same order as
 * `leadConditions`); returns the index of the first tree that holds, or -1.
 */
export function firstHolding(conditions: BranchCondition[], leadAnswers: boolean[], events: FlowEvent[]): number {
  let next = 0;
  const evaluate = (node: BranchCondition): boolean => {
    if ('lead' in node) return leadAnswers[next++] === true;
    if ('event' in node) return events.some((event) => eventMatches(node.event, event));
    // Every leaf is visited (no short cut), so answers stay aligned with their conditions.
    if ('all' in node) return node.all.map(evaluate).every(Boolean);
    if ('any' in node) return node.any.map(evaluate).some(Boolean);
    return !evaluate(node.not);
  };
  const results = conditions.map(evaluate);
  return results.indexOf(true);
}
