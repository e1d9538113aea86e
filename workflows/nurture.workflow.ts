import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import {
  ACTION_FAILURES,
  engagementSignal,
  exitSignal,
  JourneyOutcome,
  NurtureInput,
  NurtureProgress,
  NurtureResult,
  pauseSignal,
  progressQuery,
  resumeSignal,
  TASK_QUEUES,
  type ActionBatchInput,
  type CompleteEnrollmentInput,
  type MemberOutcome,
} from '@ce/contracts';
import { advance, batchActivityName, FlowCommand, FlowInput, FlowState, initialFlowState, statesToCarry, StepRegistry } from '@ce/flows';
import { ACTION_STEP_TYPES } from '@activities/step-types';
import type { Activities } from '@activities/index';

const registry = new StepRegistry(ACTION_STEP_TYPES);

type BatchActivity = (input: ActionBatchInput) => Promise<MemberOutcome[]>;

/**
 * A batch activity is retried as a whole only when it failed as a whole (its worker died, the
 * database was down); one lead's "not now" comes back as a `retry` outcome, and that lead alone
 * is tried again after `memberRetryDelay`.
 */
const ACTIVITY_RETRY = { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' } as const;
const actions = proxyActivities<Record<string, BatchActivity>>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: ACTIVITY_RETRY,
});
/**
 * Email sends run on their own queue, held to the overall send rate by the batches themselves.
 * A batch heartbeats while it sends; with a heartbeat timeout, a batch whose worker died is
 * retried after 30 seconds, and the send ledger skips what it had already handed over.
 */
const emailActions = proxyActivities<Record<string, BatchActivity>>({
  taskQueue: TASK_QUEUES.email,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: ACTIVITY_RETRY,
});

const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** 5 s, 10 s, 20 s, … at most 10 minutes: the wait before a lead's step is tried again. */
export function memberRetryDelay(attempt: number): number {
  return Math.min(5_000 * 2 ** (attempt - 1), 600_000);
}

/** One lead of the cohort. */
interface Member {
  enrollmentId: string;
  leadId: string;
  state: FlowState;
  /** The interpreter's latest command: what this lead waits on. */
  command: FlowCommand | null;
  inbox: FlowInput[];
  /** An activity is working for this lead right now. */
  busy: boolean;
  /** A step that said "not now": how often, and not before when. */
  retry: { attempts: number; at: number } | null;
  /** Its end has been written to the enrollment. */
  closed: boolean;
}

/**
 * A cohort of leads on their paths through one campaign's flow. The pure interpreter decides,
 * lead by lead; this loop carries out their commands, gathering the leads that reached the same
 * action (or lookup) in the same turn into one activity: run an action, wait until a time (one
 * timer for the cohort's nearest deadline, woken early by signals), look leads up, or finish.
 * While the campaign is paused, actions hold and timers keep counting.
 */
export async function nurture(input: NurtureInput): Promise<NurtureResult> {
  const members = new Map<string, Member>();
  for (const m of input.members) {
    const carried = input.states?.[m.enrollmentId];
    if (input.states && !carried) continue;
    const state = carried ?? {
      ...initialFlowState(m.leadId, { lead: m.leadTimeZone, campaign: input.campaignTimeZone }),
      paused: input.paused === true,
    };
    const retry = input.retries?.[m.enrollmentId] ?? null;
    members.set(m.enrollmentId, { enrollmentId: m.enrollmentId, leadId: m.leadId, state, command: null, inbox: [], busy: false, retry, closed: false });
  }
  const ended: JourneyOutcome[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let settled = false;

  const apply = (member: Member, event: FlowInput) => {
    const result = advance(input.flow, member.state, event, Date.now(), registry);
    member.state = result.state;
    if (result.commands.length > 0) member.command = result.commands[result.commands.length - 1];
  };
  const toAll = (event: FlowInput) => {
    for (const member of members.values()) member.inbox.push(event);
  };
  /** Work that runs beside the loop; when it settles the loop looks again. */
  const track = (work: Promise<void>) => {
    const running: Promise<void> = work
      .catch((error: unknown) => void (failure ??= error))
      .finally(() => {
        inFlight.delete(running);
        settled = true;
      });
    inFlight.add(running);
  };

  setHandler(engagementSignal, ({ enrollmentId, event }) => void members.get(enrollmentId)?.inbox.push({ kind: 'event', event }));
  setHandler(exitSignal, ({ enrollmentId, reason }) => {
    if (enrollmentId === undefined) toAll({ kind: 'exit', reason });
    else members.get(enrollmentId)?.inbox.push({ kind: 'exit', reason });
  });
  setHandler(pauseSignal, () => toAll({ kind: 'pause' }));
  setHandler(resumeSignal, () => toAll({ kind: 'unpause' }));
  setHandler(progressQuery, (enrollmentId) => {
    const member = members.get(enrollmentId);
    return member ? progress(member.state) : null;
  });

  for (const member of members.values()) apply(member, input.states ? { kind: 'resume' } : { kind: 'start' });

  let timer: CohortTimer | null = null;
  // The latest deadline known to have passed: a lead waiting until then or earlier goes on.
  let passed = -Infinity;

  for (;;) {
    if (failure) throw failure;
    for (const member of members.values()) {
      while (member.inbox.length > 0 && member.state.status === 'running') apply(member, member.inbox.shift()!);
      member.inbox.length = 0;
    }
    if (timer?.fired) {
      passed = Math.max(passed, timer.at);
      timer = null;
    }
    const now = Math.max(Date.now(), passed);
    for (const member of members.values()) {
      const command = member.command;
      if (member.state.status !== 'running' || command?.kind !== 'wait_until' || command.until > now) continue;
      apply(member, { kind: 'timer_fired', stepId: command.stepId });
      // A wait the interpreter no longer knows must not keep the timer at a time already past.
      if (member.command === command) member.command = null;
    }

    closeFinished(members, ended, track);
    startActions(input, members, now, apply, track);
    startLookups(members, apply, track);

    const running = [...members.values()].filter((m) => m.state.status === 'running');
    if (running.length === 0 && inFlight.size === 0 && [...members.values()].every((m) => m.closed)) break;

    // One timer for the cohort: the nearest time a waiting lead goes on or a held step is retried.
    const deadline = nextDeadline(running);
    if (timer && timer.at !== deadline) {
      timer.cancel();
      timer = null;
    }
    if (deadline !== null && !timer) timer = startTimer(deadline, deadline - Date.now());

    if (inFlight.size === 0 && workflowInfo().continueAsNewSuggested && running.every((m) => m.inbox.length === 0)) {
      const states = statesToCarry(Object.fromEntries(running.map((m) => [m.enrollmentId, m.state])));
      const retries = Object.fromEntries(running.filter((m) => m.retry).map((m) => [m.enrollmentId, m.retry!]));
      await continueAsNew<typeof nurture>({ ...input, members: input.members.filter((m) => m.enrollmentId in states), states, retries });
    }

    settled = false;
    const waitingTimer = timer;
    await condition(() => settled || failure !== null || waitingTimer?.fired === true || [...members.values()].some((m) => m.inbox.length > 0));
  }
  return { journeys: ended };
}

/** Leads whose path has ended, written to their enrollments in one activity. */
function closeFinished(members: Map<string, Member>, ended: JourneyOutcome[], track: (work: Promise<void>) => void): void {
  const finished = [...members.values()].filter((m) => m.state.status !== 'running' && !m.closed && !m.busy);
  if (finished.length === 0) return;
  const records: CompleteEnrollmentInput[] = finished.map((m) => ({
    enrollmentId: m.enrollmentId,
    status: m.state.status === 'exited' ? 'exited' : 'completed',
    reason: m.state.endReason ?? 'flow_finished',
    path: m.state.path,
  }));
  for (const m of finished) m.busy = true;
  track(
    bookkeeping.completeEnrollments({ enrollments: records }).then(() => {
      for (const m of finished) {
        m.busy = false;
        m.closed = true;
      }
      for (const r of records) ended.push({ enrollmentId: r.enrollmentId, status: r.status, reason: r.reason, path: (r.path ?? []).map((p) => p.stepId) });
    }),
  );
}

/** Every lead due to run an action, grouped by step: one activity per step. */
function startActions(
  input: NurtureInput,
  members: Map<string, Member>,
  now: number,
  apply: (member: Member, event: FlowInput) => void,
  track: (work: Promise<void>) => void,
): void {
  const byStep = new Map<string, Member[]>();
  for (const m of members.values()) {
    if (m.state.status !== 'running' || m.busy || m.state.paused || m.command?.kind !== 'run_action') continue;
    if (m.retry && m.retry.at > now) continue;
    byStep.set(m.command.stepId, [...(byStep.get(m.command.stepId) ?? []), m]);
  }
  for (const [stepId, group] of byStep) {
    for (const m of group) m.busy = true;
    track(
      runBatch(input, stepId, group).then((outcomes) => {
        group.forEach((m, i) => {
          m.busy = false;
          const outcome = outcomes[i];
          if (outcome.kind === 'retry') {
            const attempts = (m.retry?.attempts ?? 0) + 1;
            m.retry = { attempts, at: Date.now() + (outcome.retryAfterMs ?? memberRetryDelay(attempts)) };
            return;
          }
          m.retry = null;
          apply(m, answerOf(stepId, outcome));
        });
      }),
    );
  }
}

/** Every lead at a branch that needs the database, grouped by step: one lookup per step. */
function startLookups(members: Map<string, Member>, apply: (member: Member, event: FlowInput) => void, track: (work: Promise<void>) => void): void {
  const byStep = new Map<string, Member[]>();
  for (const m of members.values()) {
    if (m.state.status !== 'running' || m.busy || m.command?.kind !== 'lookup') continue;
    byStep.set(m.command.stepId, [...(byStep.get(m.command.stepId) ?? []), m]);
  }
  for (const [stepId, group] of byStep) {
    const command = group[0].command as Extract<FlowCommand, { kind: 'lookup' }>;
    for (const m of group) m.busy = true;
    track(
      bookkeeping.evaluateCohortConditions({ leadIds: group.map((m) => m.leadId), conditions: command.conditions }).then((answers) => {
        group.forEach((m, i) => {
          m.busy = false;
          apply(m, { kind: 'lookup_result', stepId, results: answers[i] });
        });
      }),
    );
  }
}

/** Runs a step's activity for a group of leads; a batch that failed for good answers the same for each. */
async function runBatch(input: NurtureInput, stepId: string, group: Member[]): Promise<MemberOutcome[]> {
  const step = input.flow.steps[stepId];
  const def = registry.get(step.type);
  const name = def ? batchActivityName(def) : null;
  if (!def || !name) return group.map((m) => ({ enrollmentId: m.enrollmentId, kind: 'failed', type: 'UnknownStepType', message: step.type }));
  const run = (def.queue === 'email' ? emailActions : actions)[name];
  try {
    const members = group.map((m) => ({ enrollmentId: m.enrollmentId, leadId: m.leadId, attempt: (m.retry?.attempts ?? 0) + 1 }));
    return await run({ campaignId: input.campaignId, stepId, step, members });
  } catch (error) {
    if (!(error instanceof ActivityFailure && error.cause instanceof ApplicationFailure)) throw error;
    const type = error.cause.type ?? 'failed';
    return group.map((m) => ({ enrollmentId: m.enrollmentId, kind: 'failed', type, message: error.cause?.message ?? '' }));
  }
}

/** What the interpreter hears back from one lead's outcome. */
function answerOf(stepId: string, outcome: MemberOutcome): FlowInput {
  if (outcome.kind === 'done') return { kind: 'action_completed', stepId };
  if (outcome.kind !== 'failed') throw new Error('a retry is not an answer');
  // A paused campaign holds the step (it runs again on resume); an ended one ends the path;
  // any other failure for good (a hard bounce, a deleted template) ends the path and says why.
  if (outcome.type === ACTION_FAILURES.campaignPaused) return { kind: 'pause' };
  if (outcome.type === ACTION_FAILURES.campaignEnded) return { kind: 'exit', reason: 'campaign_ended' };
  return { kind: 'action_failed', stepId, reason: outcome.type };
}

/** The nearest time at which a lead's wait ends or its held step may be tried again. */
function nextDeadline(running: Member[]): number | null {
  let deadline: number | null = null;
  for (const m of running) {
    if (m.busy) continue;
    const command = m.command;
    let at: number | null = null;
    if (command?.kind === 'wait_until') at = command.until;
    else if (command?.kind === 'run_action' && m.retry && !m.state.paused) at = m.retry.at;
    if (at !== null && (deadline === null || at < deadline)) deadline = at;
  }
  return deadline;
}

interface CohortTimer {
  at: number;
  fired: boolean;
  cancel(): void;
}

/** A durable timer that can be cancelled; `fired` turns true when it ends. */
function startTimer(at: number, ms: number): CohortTimer {
  const timer: CohortTimer = { at, fired: ms <= 0, cancel: () => undefined };
  if (timer.fired) return timer;
  const scope = new CancellationScope();
  scope
    .run(() => sleep(ms))
    .then(
      () => void (timer.fired = true),
      (error: unknown) => {
        if (!isCancellation(error)) throw error;
      },
    );
  timer.cancel = () => scope.cancel();
  return timer;
}

function progress(state: FlowState): NurtureProgress {
  const awaiting = state.awaiting;
  return {
    currentStepId: state.currentStepId,
    status: state.status,
    paused: state.paused,
    awaiting: awaiting
      ? { kind: awaiting.kind, stepId: awaiting.stepId, ...('until' in awaiting ? { until: new Date(awaiting.until).toISOString() } : {}) }
      : null,
    path: state.path,
    events: state.events,
    endReason: state.endReason ?? null,
  };
}
