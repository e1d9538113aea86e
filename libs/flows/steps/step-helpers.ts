import { FlowProblem, FlowStep } from '../flow.types';

/** The one successor of a step that continues with `next`. */
export const nextOf = (step: FlowStep): string[] => (typeof step.next === 'string' ? [step.next] : []);

export const nextAfter = (step: FlowStep | undefined): string | null => (typeof step?.next === 'string' ? step.next : null);

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reports settings a step type does not know, so a typo is not silently ignored. */
export function unknownSettings(step: FlowStep, known: string[]): FlowProblem[] {
  const allowed = new Set(['type', 'next', 'name', 'description', ...known]);
  return Object.keys(step)
    .filter((key) => !allowed.has(key))
    .map((key) => ({ path: key, message: `is not a setting of ${step.type} steps` }));
}

/** A step id, or null/absent for "end the flow here". */
export function optionalStepId(value: unknown, path: string): FlowProblem[] {
  return value === undefined || value === null || typeof value === 'string'
    ? []
    : [{ path, message: 'must be a step id or null' }];
}

export const NEXT_SCHEMA = { type: ['string', 'null'], description: 'The step after this one; absent or null ends the flow.' };
