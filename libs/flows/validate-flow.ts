import { FlowProblem, FlowReference, FlowStep } from './flow.types';
import { StepRegistry } from './step-registry';

const STEP_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const MAX_STEPS = 500;

export interface FlowValidation {
  problems: FlowProblem[];
  /** External things the flow refers to, with absolute paths, for the caller to check. */
  references: FlowReference[];
}

/**
 * Checks a flow's shape, each step's settings against its registered type, and its graph:
 * the entry exists, every reference resolves, every step is reachable, and every loop
 * passes through a step that holds the lead (a wait).
 */
export function validateFlow(input: unknown, registry: StepRegistry): FlowValidation {
  const problems: FlowProblem[] = [];
  const references: FlowReference[] = [];
  if (!isObject(input)) return { problems: [{ path: '', message: 'must be an object with entry and steps' }], references };

  const { entry, steps } = input;
  if (typeof entry !== 'string' || entry === '') problems.push({ path: 'entry', message: 'must name the first step' });
  if (!isObject(steps) || Object.keys(steps).length === 0) {
    problems.push({ path: 'steps', message: 'must be an object with at least one step' });
    return { problems, references };
  }
  const ids = Object.keys(steps);
  if (ids.length > MAX_STEPS) problems.push({ path: 'steps', message: `must have at most ${MAX_STEPS} steps` });
  if (typeof entry === 'string' && entry !== '' && !Object.hasOwn(steps, entry))
    problems.push({ path: 'entry', message: `refers to step "${entry}", which does not exist` });

  const successors = new Map<string, string[]>();
  for (const id of ids) {
    const at = `steps.${id}`;
    const step = steps[id];
    if (!STEP_ID.test(id)) problems.push({ path: at, message: 'step ids start with a letter and use letters, digits, - and _ (64 at most)' });
    if (!isObject(step) || typeof step.type !== 'string') {
      problems.push({ path: `${at}.type`, message: 'must name a step type' });
      continue;
    }
    const def = registry.get(step.type);
    if (!def) {
      problems.push({ path: `${at}.type`, message: `unknown step type "${step.type}"; known types: ${registry.types().join(', ')}` });
      continue;
    }
    if (step.next !== undefined && step.next !== null && typeof step.next !== 'string')
      problems.push({ path: `${at}.next`, message: 'must be a step id or null' });
    for (const p of def.validate(step as FlowStep)) problems.push({ path: `${at}.${p.path}`, message: p.message });
    for (const r of def.references?.(step as FlowStep) ?? []) references.push({ ...r, path: `${at}.${r.path}` });
    const next = def.successors(step as FlowStep);
    next.forEach((target) => {
      if (!Object.hasOwn(steps, target)) problems.push({ path: `${at}.next`, message: `refers to step "${target}", which does not exist` });
    });
    successors.set(id, next.filter((t) => Object.hasOwn(steps, t)));
  }

  if (typeof entry === 'string' && Object.hasOwn(steps, entry) && problems.length === 0) {
    const reachable = walk(entry, successors);
    for (const id of ids) if (!reachable.has(id)) problems.push({ path: `steps.${id}`, message: 'is not reachable from the entry step' });
    const holds = (id: string) => registry.get((steps[id] as FlowStep).type)?.holds === true;
    const loop = findLoopWithoutHold(ids, successors, holds);
    if (loop) problems.push({ path: `steps.${loop[0]}`, message: `loop without a wait: ${loop.join(' → ')}` });
  }
  return { problems, references };
}

function walk(from: string, successors: Map<string, string[]>): Set<string> {
  const seen = new Set<string>([from]);
  const todo = [from];
  while (todo.length > 0) {
    for (const next of successors.get(todo.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return seen;
}

/** A cycle among steps that do not hold the lead would spin forever; returns one such cycle. */
function findLoopWithoutHold(
  ids: string[],
  successors: Map<string, string[]>,
  holds: (id: string) => boolean,
): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of successors.get(id) ?? []) {
      if (holds(next)) continue;
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of ids) {
    if (holds(id) || state.has(id)) continue;
    const found = visit(id);
    if (found) return found;
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
