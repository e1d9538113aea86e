import type { SegmentCondition } from '@ce/segments';
import { ControlOutcome, DEFAULT_EXIT_RULES, FlowDefinition, FlowEvent, FlowStep, StepContext } from './flow.types';
import { StepRegistry } from './step-registry';
import { nextAfter } from './steps';

/** Where one lead stands in a flow. Plain data, so it can cross continue-as-new. */
export interface FlowState {
  status: 'running' | 'completed' | 'exited';
  leadId: string;
  timeZones: StepContext['timeZones'];
  currentStepId: string | null;
  /** What the lead is waiting on; the workflow carries out the matching command. */
  awaiting: Awaiting | null;
  /** While paused, actions are held; timers keep counting. */
  paused: boolean;
  /** The steps entered, oldest first (the most recent `MAX_PATH`). */
  path: { stepId: string; enteredAt: string }[];
  /**
   * Events in this enrollment, oldest first: the latest of each kind (type, step and link — all
   * that conditions ask about), at most `MAX_EVENTS`. A journey's state stays small however
   * often its lead opens and clicks, which keeps a cohort's state small too.
   */
  events: FlowEvent[];
  endReason?: string;
}

export type Awaiting =
  | { kind: 'action'; stepId: string }
  | { kind: 'timer'; stepId: string; until: number; next: string | null }
  | { kind: 'event'; stepId: string; until: number; timeoutNext: string | null }
  | { kind: 'lookup'; stepId: string; conditions: SegmentCondition[] };

export type FlowInput =
  | { kind: 'start' }
  /** Re-issues the command for what the lead awaits (after continue-as-new). */
  | { kind: 'resume' }
  | { kind: 'action_completed'; stepId: string }
  /** The step's action failed for good; the lead's path ends with the reason. */
  | { kind: 'action_failed'; stepId: string; reason: string }
  | { kind: 'timer_fired'; stepId: string }
  | { kind: 'lookup_result'; stepId: string; results: boolean[] }
  | { kind: 'event'; event: FlowEvent }
  | { kind: 'exit'; reason: string }
  | { kind: 'pause' }
  | { kind: 'unpause' };

export type FlowCommand =
  | { kind: 'run_action'; stepId: string; step: FlowStep }
  /** Wait until the time, waking early for inputs (events, exits, pause). */
  | { kind: 'wait_until'; stepId: string; until: number }
  | { kind: 'lookup'; stepId: string; conditions: SegmentCondition[] }
  | { kind: 'complete'; status: 'completed' | 'exited'; reason: string };

export interface Advance {
  state: FlowState;
  commands: FlowCommand[];
}

/** Steps entered in one call at most; validation forbids loops without a wait, this is a backstop. */
const MAX_STEPS_PER_ADVANCE = 1_000;
export const MAX_EVENTS = 100;
export const MAX_PATH = 200;

export function initialFlowState(leadId: string, timeZones: StepContext['timeZones'] = { lead: null, campaign: 'UTC' }): FlowState {
  return { status: 'running', leadId, timeZones, currentStepId: null, awaiting: null, paused: false, path: [], events: [] };
}

/**
 * The pure heart of the engine: given a flow, where a lead stands, what just happened and the
 * time, says where the lead stands now and what the workflow must do next.
 */
export function advance(flow: FlowDefinition, current: FlowState, input: FlowInput, now: number, registry: StepRegistry): Advance {
  const state = cloneState(current);
  if (state.status !== 'running') return { state, commands: [] };
  const awaiting = state.awaiting;
  const ctx = (stepId: string): StepContext => ({ now, stepId, leadId: state.leadId, events: state.events, timeZones: state.timeZones });

  switch (input.kind) {
    case 'start':
      return state.currentStepId === null ? enter(flow, state, flow.entry, now, registry) : none(state);
    case 'resume':
      return { state, commands: awaiting ? [commandFor(flow, awaiting)] : [] };
    case 'pause':
      state.paused = true;
      return none(state);
    case 'unpause':
      state.paused = false;
      return { state, commands: awaiting ? [commandFor(flow, awaiting)] : [] };
    case 'exit':
      return end(state, 'exited', input.reason);
    case 'action_completed':
      if (awaiting?.kind !== 'action' || awaiting.stepId !== input.stepId) return none(state);
      return enter(flow, state, nextAfter(flow.steps[input.stepId]), now, registry);
    case 'action_failed':
      if (awaiting?.kind !== 'action' || awaiting.stepId !== input.stepId) return none(state);
      return end(state, 'exited', `${input.stepId}:${input.reason}`);
    case 'timer_fired':
      if (awaiting?.kind === 'timer' && awaiting.stepId === input.stepId) return enter(flow, state, awaiting.next, now, registry);
      if (awaiting?.kind === 'event' && awaiting.stepId === input.stepId) return enter(flow, state, awaiting.timeoutNext, now, registry);
      return none(state);
    case 'lookup_result': {
      if (awaiting?.kind !== 'lookup' || awaiting.stepId !== input.stepId) return none(state);
      const step = flow.steps[awaiting.stepId];
      const outcome = registry.get(step.type)?.onLookup?.(step, input.results, ctx(awaiting.stepId));
      return follow(flow, state, awaiting.stepId, outcome ?? { kind: 'goto', next: null }, now, registry);
    }
    case 'event': {
      const same = state.events.findIndex((e) => e.type === input.event.type && e.stepId === input.event.stepId && e.url === input.event.url);
      if (same >= 0) state.events.splice(same, 1);
      state.events.push(input.event);
      if (state.events.length > MAX_EVENTS) state.events.splice(0, state.events.length - MAX_EVENTS);
      const rule = exitReason(flow, input.event);
      if (rule) return end(state, 'exited', rule);
      if (awaiting?.kind !== 'event') return none(state);
      const step = flow.steps[awaiting.stepId];
      const outcome = registry.get(step.type)?.onEvent?.(step, input.event, ctx(awaiting.stepId));
      return outcome ? follow(flow, state, awaiting.stepId, outcome, now, registry) : none(state);
    }
  }
}

/** The exit rule an event triggers, if any: conversion and unsubscribe end the journey by default. */
function exitReason(flow: FlowDefinition, event: FlowEvent): string | null {
  const rules = flow.exitRules ?? DEFAULT_EXIT_RULES;
  if (event.type === 'converted' && rules.some((r) => r.on === 'conversion')) return 'converted';
  if (event.type === 'unsubscribed' && rules.some((r) => r.on === 'unsubscribe')) return 'unsubscribed';
  return null;
}

function enter(flow: FlowDefinition, state: FlowState, firstStepId: string | null, now: number, registry: StepRegistry): Advance {
  let stepId = firstStepId;
  for (let entered = 0; entered < MAX_STEPS_PER_ADVANCE; entered++) {
    if (stepId === null) return end(state, 'completed', 'flow_finished');
    const step = Object.hasOwn(flow.steps, stepId) ? flow.steps[stepId] : undefined;
    const def = step ? registry.get(step.type) : undefined;
    if (!step || !def) return end(state, 'exited', `unknown_step:${stepId}`);

    state.currentStepId = stepId;
    state.awaiting = null;
    state.path.push({ stepId, enteredAt: new Date(now).toISOString() });
    if (state.path.length > MAX_PATH) state.path.splice(0, state.path.length - MAX_PATH);

    if (def.kind === 'action') return wait(state, { kind: 'action', stepId }, flow);
    const outcome =
      def.enter?.(step, { now, stepId, leadId: state.leadId, events: state.events, timeZones: state.timeZones }) ??
      ({ kind: 'goto', next: nextAfter(step) } as ControlOutcome);
    if (outcome.kind !== 'goto') return follow(flow, state, stepId, outcome, now, registry);
    stepId = outcome.next;
  }
  return end(state, 'exited', 'too_many_steps');
}

/** Carries out a control step's outcome. */
function follow(flow: FlowDefinition, state: FlowState, stepId: string, outcome: ControlOutcome, now: number, registry: StepRegistry): Advance {
  switch (outcome.kind) {
    case 'goto':
      return enter(flow, state, outcome.next, now, registry);
    case 'end':
      return end(state, 'completed', outcome.reason);
    case 'sleep':
      return wait(state, { kind: 'timer', stepId, until: outcome.until, next: outcome.next }, flow);
    case 'await_event':
      return wait(state, { kind: 'event', stepId, until: outcome.until, timeoutNext: outcome.timeoutNext }, flow);
    case 'lookup':
      return wait(state, { kind: 'lookup', stepId, conditions: outcome.conditions }, flow);
  }
}

function wait(state: FlowState, awaiting: Awaiting, flow: FlowDefinition): Advance {
  state.awaiting = awaiting;
  return { state, commands: [commandFor(flow, awaiting)] };
}

function commandFor(flow: FlowDefinition, awaiting: Awaiting): FlowCommand {
  switch (awaiting.kind) {
    case 'action':
      return { kind: 'run_action', stepId: awaiting.stepId, step: flow.steps[awaiting.stepId] };
    case 'timer':
    case 'event':
      return { kind: 'wait_until', stepId: awaiting.stepId, until: awaiting.until };
    case 'lookup':
      return { kind: 'lookup', stepId: awaiting.stepId, conditions: awaiting.conditions };
  }
}

function end(state: FlowState, status: 'completed' | 'exited', reason: string): Advance {
  state.status = status;
  state.awaiting = null;
  state.endReason = reason;
  return { state, commands: [{ kind: 'complete', status, reason }] };
}

function none(state: FlowState): Advance {
  return { state, commands: [] };
}

function cloneState(state: FlowState): FlowState {
  return { ...state, awaiting: state.awaiting ? { ...state.awaiting } : null, path: [...state.path], events: [...state.events] };
}

/** What a cohort carries across continue-as-new at most, before its journeys' states are shortened. */
export const CARRIED_STATE_BUDGET = 1_000_000;
/** What each journey keeps when they are: its latest steps and events of each kind. */
export const COMPACT_KEEP = 10;

/**
 * The states a cohort hands to its next run. Within `budget` characters of JSON they go as they
 * are; over it (a large cohort of long journeys with many events), every state keeps only its
 * latest `COMPACT_KEEP` steps and events, so the next run's input stays well inside Temporal's
 * payload limit. What a flow decides on — the current step, what it awaits, the pause, recent
 * events — is kept; a branch asking about an event older than those would no longer see it.
 */
export function statesToCarry(states: Record<string, FlowState>, budget = CARRIED_STATE_BUDGET): Record<string, FlowState> {
  if (JSON.stringify(states).length <= budget) return states;
  return Object.fromEntries(
    Object.entries(states).map(([id, state]) => [id, { ...state, path: state.path.slice(-COMPACT_KEEP), events: state.events.slice(-COMPACT_KEEP) }]),
  );
}
