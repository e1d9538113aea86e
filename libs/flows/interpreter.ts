import { FlowDefinition, FlowStep } from './flow.types';
import { StepRegistry } from './step-registry';

/** Where one lead stands in a flow. Plain data, so it can cross continue-as-new. */
export interface FlowState {
  status: 'running' | 'completed' | 'exited';
  currentStepId: string | null;
  awaiting: null | { kind: 'action'; stepId: string } | { kind: 'timer'; stepId: string; until: number; next: string | null };
  path: { stepId: string; enteredAt: string }[];
  engagement: { type: string; stepId: string; occurredAt: string }[];
  endReason?: string;
}

export type FlowInput =
  | { kind: 'start' }
  | { kind: 'action_completed'; stepId: string }
  | { kind: 'timer_fired'; stepId: string }
  | { kind: 'engagement'; type: string; stepId: string; occurredAt: string }
  | { kind: 'exit'; reason: string };

export type FlowCommand =
  | { kind: 'run_action'; stepId: string; step: FlowStep }
  | { kind: 'sleep_until'; stepId: string; until: number }
  | { kind: 'complete'; reason: string };

export interface Advance {
  state: FlowState;
  commands: FlowCommand[];
}

/** Steps entered in one call at most; validation forbids loops without a wait, this is a backstop. */
const MAX_STEPS_PER_ADVANCE = 1_000;

export function initialFlowState(): FlowState {
  return { status: 'running', currentStepId: null, awaiting: null, path: [], engagement: [] };
}

/**
 * The pure heart of the engine: given a flow, where a lead stands, what just happened and
 * the time, says where the lead stands now and what the workflow must do next.
 */
export function advance(
  flow: FlowDefinition,
  current: FlowState,
  input: FlowInput,
  now: number,
  registry: StepRegistry,
): Advance {
  const state: FlowState = structuredCloneState(current);
  if (state.status !== 'running') return { state, commands: [] };

  switch (input.kind) {
    case 'start':
      if (state.currentStepId !== null) return { state, commands: [] };
      return enter(flow, state, flow.entry, now, registry);
    case 'action_completed':
      if (state.awaiting?.kind !== 'action' || state.awaiting.stepId !== input.stepId) return { state, commands: [] };
      return enter(flow, state, nextAfter(flow.steps[input.stepId]), now, registry);
    case 'timer_fired': {
      const awaiting = state.awaiting;
      if (awaiting?.kind !== 'timer' || awaiting.stepId !== input.stepId) return { state, commands: [] };
      return enter(flow, state, awaiting.next, now, registry);
    }
    case 'engagement':
      state.engagement.push({ type: input.type, stepId: input.stepId, occurredAt: input.occurredAt });
      return { state, commands: [] };
    case 'exit':
      return end(state, 'exited', input.reason);
  }
}

function enter(
  flow: FlowDefinition,
  state: FlowState,
  firstStepId: string | null,
  now: number,
  registry: StepRegistry,
): Advance {
  let stepId = firstStepId;
  for (let entered = 0; entered < MAX_STEPS_PER_ADVANCE; entered++) {
    if (stepId === null) return end(state, 'completed', 'flow_finished');
    const step = Object.hasOwn(flow.steps, stepId) ? flow.steps[stepId] : undefined;
    const def = step ? registry.get(step.type) : undefined;
    if (!step || !def) return end(state, 'exited', `unknown_step:${stepId}`);

    state.currentStepId = stepId;
    state.path.push({ stepId, enteredAt: new Date(now).toISOString() });

    if (def.kind === 'action') {
      state.awaiting = { kind: 'action', stepId };
      return { state, commands: [{ kind: 'run_action', stepId, step }] };
    }
    const outcome = def.enter?.(step, now) ?? { kind: 'goto', next: nextAfter(step) };
    if (outcome.kind === 'end') return end(state, 'completed', outcome.reason);
    if (outcome.kind === 'sleep') {
      state.awaiting = { kind: 'timer', stepId, until: outcome.until, next: outcome.next };
      return { state, commands: [{ kind: 'sleep_until', stepId, until: outcome.until }] };
    }
    stepId = outcome.next;
  }
  return end(state, 'exited', 'too_many_steps');
}

function end(state: FlowState, status: 'completed' | 'exited', reason: string): Advance {
  state.status = status;
  state.awaiting = null;
  state.endReason = reason;
  return { state, commands: [{ kind: 'complete', reason }] };
}

function nextAfter(step: FlowStep | undefined): string | null {
  return typeof step?.next === 'string' ? step.next : null;
}

function structuredCloneState(state: FlowState): FlowState {
  return {
    ...state,
    awaiting: state.awaiting ? { ...state.awaiting } : null,
    path: [...state.path],
    engagement: [...state.engagement],
  };
}
