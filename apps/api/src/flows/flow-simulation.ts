import {
  advance,
  Awaiting,
  FlowCommand,
  FlowDefinition,
  FlowEvent,
  FlowInput,
  FlowState,
  initialFlowState,
  StepContext,
  StepRegistry,
} from '@ce/flows';
import type { SegmentCondition } from '@ce/segments';
import type { DryRunAwaitingDto, DryRunEndDto, DryRunEventDto, DryRunStepDto } from './dto/dry-run.dto';

/** Something the lead does during the simulation, at a given time (epoch milliseconds). */
export interface SimulatedEvent {
  type: string;
  stepId?: string;
  url?: string;
  at: number;
}

export interface Simulation {
  flow: FlowDefinition;
  registry: StepRegistry;
  leadId: string;
  timeZones: StepContext['timeZones'];
  startAt: number;
  horizonAt: number;
  events: SimulatedEvent[];
  /** The run stops (truncated) once the path has this many steps. */
  maxSteps: number;
  /** Answers a branch's lead conditions, as the running workflow's lookup does. */
  lookup(conditions: SegmentCondition[]): Promise<boolean[]>;
}

export interface SimulationResult {
  path: DryRunStepDto[];
  end: DryRunEndDto | null;
  awaiting?: DryRunAwaitingDto;
  events: DryRunEventDto[];
  truncated: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Walks a flow for one lead with the real interpreter and a simulated clock: actions complete
 * at once, waits jump the clock to the earlier of their end and the next event, events are fed
 * at their times (so one that comes before a wait_for_event counts, as in the workflow), and
 * branch lookups are answered by `lookup`. Stops when the lead leaves the flow, when the next
 * thing to happen lies beyond the horizon, or at the step limit.
 */
export async function simulate(sim: Simulation): Promise<SimulationResult> {
  const queue = [...sim.events].sort((a, b) => a.at - b.at);
  const path: (DryRunStepDto & { notes?: string[] })[] = [];
  const fed: DryRunEventDto[] = [];
  let state: FlowState = initialFlowState(sim.leadId, sim.timeZones);
  let now = sim.startAt;
  let command: FlowCommand | null = null;
  let end: DryRunEndDto | null = null;
  let awaiting: DryRunAwaitingDto | undefined;
  let truncated = false;

  type Entry = (typeof path)[number] | undefined;
  const note = (entry: Entry, text: string) => {
    if (entry) entry.notes = [...(entry.notes ?? []), text];
  };
  const apply = (input: FlowInput) => {
    const before = state;
    // The step a lead waits at is always the last one it entered.
    const waitingAt: Entry = path[path.length - 1];
    const result = advance(sim.flow, before, input, now, sim.registry);
    state = result.state;
    for (const entered of state.path.slice(before.path.length)) path.push(describeEntry(sim, entered));
    if (result.commands.length > 0) command = result.commands[result.commands.length - 1];
    if (state.status !== 'running') end = { status: state.status, reason: state.endReason ?? 'flow_finished', at: iso(now) };
    const moved = state.path.length > before.path.length || state.status !== 'running';
    if (moved && before.awaiting?.kind === 'event') {
      if (input.kind === 'event') note(waitingAt, `${input.event.type} at ${input.event.occurredAt}`);
      if (input.kind === 'timer_fired') note(waitingAt, `timed out at ${iso(now)}`);
    }
    const waiting = state.awaiting;
    if (state.status === 'running' && waiting && (moved || !sameWait(waiting, before.awaiting))) {
      const last = path[path.length - 1];
      if (waiting.kind === 'timer') note(last, `waits until ${iso(waiting.until)}`);
      if (waiting.kind === 'event') note(last, `waits for ${describeWanted(sim.flow, waiting.stepId)} until ${iso(waiting.until)}`);
    }
  };

  apply({ kind: 'start' });
  for (let turn = 0; state.status === 'running'; turn++) {
    if (path.length >= sim.maxSteps || turn >= sim.maxSteps * 4) {
      truncated = true;
      break;
    }
    while (queue.length > 0 && queue[0].at <= now && state.status === 'running') {
      const event = queue.shift()!;
      fed.push({ type: event.type, at: iso(event.at), outcome: 'fed' });
      apply({ kind: 'event', event: toFlowEvent(event) });
    }
    const current = command as FlowCommand | null;
    if (state.status !== 'running' || current === null || current.kind === 'complete') break;

    if (current.kind === 'run_action') {
      apply({ kind: 'action_completed', stepId: current.stepId });
    } else if (current.kind === 'lookup') {
      const results = await sim.lookup(current.conditions);
      note(path[path.length - 1], `lead conditions: ${results.map((r) => (r ? 'met' : 'not met')).join(', ')}`);
      apply({ kind: 'lookup_result', stepId: current.stepId, results });
    } else if (queue.length > 0 && queue[0].at <= current.until && queue[0].at <= sim.horizonAt) {
      now = Math.max(now, queue[0].at);
    } else if (current.until > sim.horizonAt) {
      const kind = state.awaiting?.kind === 'event' ? 'event' : 'timer';
      awaiting = { kind, stepId: current.stepId, until: iso(current.until) };
      break;
    } else {
      now = Math.max(now, current.until);
      apply({ kind: 'timer_fired', stepId: current.stepId });
    }
  }

  const unfed = queue.map((e) => ({ type: e.type, at: iso(e.at), outcome: end || truncated ? 'after_end' : 'beyond_horizon' }));
  return {
    path: path.slice(0, sim.maxSteps).map(({ notes, ...entry }) => ({ ...entry, ...(notes ? { note: notes.join('; ') } : {}) })),
    end,
    ...(awaiting ? { awaiting } : {}),
    events: [...fed, ...unfed],
    truncated,
  };
}

function sameWait(a: Awaiting, b: Awaiting | null): boolean {
  return b !== null && a.kind === b.kind && a.stepId === b.stepId && ('until' in a ? a.until : 0) === ('until' in b ? b.until : 0);
}

function describeEntry(sim: Simulation, entered: FlowState['path'][number]): DryRunStepDto {
  const step = sim.flow.steps[entered.stepId];
  const def = sim.registry.get(step.type);
  const entry: DryRunStepDto = { stepId: entered.stepId, type: step.type, at: entered.enteredAt };
  if (def?.kind === 'action') entry.action = def.describe?.(step) ?? `run ${step.type}`;
  return entry;
}

/** What a wait_for_event step waits for, in words: `opened of welcome`. */
function describeWanted(flow: FlowDefinition, stepId: string): string {
  const step = flow.steps[stepId];
  const about = typeof step.step === 'string' ? ` of ${step.step}` : '';
  const link = typeof step.link === 'string' ? ` on ${step.link}` : '';
  return `${String(step.event)}${about}${link}`;
}

function toFlowEvent(event: SimulatedEvent): FlowEvent {
  return {
    type: event.type,
    ...(event.stepId !== undefined ? { stepId: event.stepId } : {}),
    ...(event.url !== undefined ? { url: event.url } : {}),
    occurredAt: iso(event.at),
  };
}
