import { FlowProblem, FlowReference, FlowStep, StepTypeDefinition } from './flow.types';
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
  for (const key of Object.keys(input))
    if (!['entry', 'steps', 'exitRules', 'reenrollment'].includes(key)) problems.push({ path: key, message: 'is not part of a flow definition' });
  checkExitRules(input.exitRules, problems, references);
  checkReenrollment(input.reenrollment, problems);
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
  // Edges a lead can take without any time passing; a cycle of these could spin (and send) forever.
  const unheld = new Map<string, string[]>();
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
    const own = def.validate(step as FlowStep);
    for (const p of [...own, ...settingsOutsideSchema(step as FlowStep, def, own)]) problems.push({ path: `${at}.${p.path}`, message: p.message });
    for (const r of def.references?.(step as FlowStep) ?? []) references.push({ ...r, path: `${at}.${r.path}` });
    for (const m of def.mentions?.(step as FlowStep) ?? [])
      if (!Object.hasOwn(steps, m.stepId)) problems.push({ path: `${at}.${m.path}`, message: `refers to step "${m.stepId}", which does not exist` });
    const next = def.successors(step as FlowStep);
    next.forEach((target) => {
      if (!Object.hasOwn(steps, target))
        problems.push({ path: `${at}.${settingNaming(step, target) ?? 'next'}`, message: `refers to step "${target}", which does not exist` });
    });
    successors.set(id, next.filter((t) => Object.hasOwn(steps, t)));
    const immediate = def.holds === true ? [] : (def.immediateSuccessors?.(step as FlowStep) ?? next);
    unheld.set(id, immediate.filter((t) => Object.hasOwn(steps, t)));
  }

  if (typeof entry === 'string' && Object.hasOwn(steps, entry) && problems.length === 0) {
    const reachable = walk(entry, successors);
    for (const id of ids) if (!reachable.has(id)) problems.push({ path: `steps.${id}`, message: 'is not reachable from the entry step' });
    const loop = findLoopWithoutHold(ids, unheld);
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

/** A cycle of edges that pass no time would spin forever; returns one such cycle. */
function findLoopWithoutHold(ids: string[], unheld: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of unheld.get(id) ?? []) {
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
    if (state.has(id)) continue;
    const found = visit(id);
    if (found) return found;
  }
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXIT_EVENTS = ['conversion', 'unsubscribe', 'segment_entered', 'segment_left'];

function checkExitRules(rules: unknown, problems: FlowProblem[], references: FlowReference[]): void {
  if (rules === undefined) return;
  if (!Array.isArray(rules) || rules.length > 20) {
    problems.push({ path: 'exitRules', message: 'must be a list of at most 20 rules' });
    return;
  }
  rules.forEach((rule: unknown, i) => {
    const at = `exitRules[${i}]`;
    if (!isObject(rule) || !EXIT_EVENTS.includes(rule.on as string)) {
      problems.push({ path: `${at}.on`, message: `must be one of ${EXIT_EVENTS.join(', ')}` });
      return;
    }
    const needsSegment = rule.on === 'segment_entered' || rule.on === 'segment_left';
    if (needsSegment && (typeof rule.segmentId !== 'string' || !UUID.test(rule.segmentId)))
      problems.push({ path: `${at}.segmentId`, message: 'must be the id (UUID) of a segment' });
    else if (needsSegment) references.push({ kind: 'segment', id: String(rule.segmentId).toLowerCase(), path: `${at}.segmentId` });
    else if (rule.segmentId !== undefined) problems.push({ path: `${at}.segmentId`, message: `a ${String(rule.on)} rule takes no segment` });
  });
}

function checkReenrollment(policy: unknown, problems: FlowProblem[]): void {
  if (policy === undefined) return;
  if (!isObject(policy) || (policy.policy !== 'never' && policy.policy !== 'after')) {
    problems.push({ path: 'reenrollment.policy', message: 'must be "never" or "after"' });
    return;
  }
  if (policy.policy === 'after' && (!Number.isInteger(policy.days) || (policy.days as number) < 1 || (policy.days as number) > 3650))
    problems.push({ path: 'reenrollment.days', message: 'must be a whole number of days from 1 to 3650' });
  if (policy.policy === 'never' && policy.days !== undefined) problems.push({ path: 'reenrollment.days', message: 'only an "after" policy takes days' });
}

const COMMON_SETTINGS = ['type', 'next', 'name', 'description'];

/** Settings the type's schema does not list, unless the type's own check already said so. */
function settingsOutsideSchema(step: FlowStep, def: StepTypeDefinition, reported: FlowProblem[]): FlowProblem[] {
  const properties = def.schema.properties;
  if (!isObject(properties)) return [];
  return Object.keys(step)
    .filter((key) => !COMMON_SETTINGS.includes(key) && !Object.hasOwn(properties, key) && !reported.some((p) => p.path === key))
    .map((key) => ({ path: key, message: `is not a setting of ${step.type} steps` }));
}

const STEP_LINKS = ['next', 'timeoutNext', 'otherwise'];

/** Where in a step's settings a step id appears as a link (`next`, `branches[1].next`, …). */
function settingNaming(node: unknown, target: string, path = ''): string | null {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) {
      const found = settingNaming(item, target, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (!isObject(node)) return null;
  for (const [key, value] of Object.entries(node)) {
    const here = path === '' ? key : `${path}.${key}`;
    if (STEP_LINKS.includes(key) && value === target) return here;
    if (typeof value === 'object' && value !== null) {
      const found = settingNaming(value, target, here);
      if (found) return found;
    }
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
