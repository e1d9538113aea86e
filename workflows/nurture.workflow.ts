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
  NurtureInput,
  NurtureProgress,
  NurtureResult,
  pauseSignal,
  progressQuery,
  resumeSignal,
  TASK_QUEUES,
  type ActionInput,
  type ActionResult,
} from '@ce/contracts';
import { advance, FlowCommand, FlowInput, FlowState, initialFlowState, StepRegistry } from '@ce/flows';
import { ACTION_STEP_TYPES } from '@activities/step-types';
import type { Activities } from '@activities/index';

const registry = new StepRegistry(ACTION_STEP_TYPES);

/** Side effects: retried with backoff until they succeed or fail for good. */
const ACTION_RETRY = { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' } as const;
const actions = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: ACTION_RETRY });
/**
 * Email sends run on their own queue, which Temporal holds to the overall send rate. A send that
 * waits for its rate slot heartbeats; with a heartbeat timeout, a send whose worker died is
 * retried after 30 seconds rather than after the whole start-to-close timeout.
 */
const emailActions = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.email,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: ACTION_RETRY,
});

const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One lead's path through one campaign's flow. The pure interpreter decides; this loop only
 * carries out its commands: run an action, wait until a time (waking for signals), look the
 * lead up, or finish. While the campaign is paused, actions hold and timers keep counting.
 */
export async function nurture(input: NurtureInput): Promise<NurtureResult> {
  let state: FlowState = input.state ?? { ...initialFlowState(input.leadId, input.timeZones), paused: input.paused === true };
  let command: FlowCommand | null = null;
  const inbox: FlowInput[] = [];

  const apply = (event: FlowInput) => {
    const result = advance(input.flow, state, event, Date.now(), registry);
    state = result.state;
    if (result.commands.length > 0) command = result.commands[result.commands.length - 1];
  };

  setHandler(engagementSignal, (event) => void inbox.push({ kind: 'event', event }));
  setHandler(exitSignal, ({ reason }) => void inbox.push({ kind: 'exit', reason }));
  setHandler(pauseSignal, () => void inbox.push({ kind: 'pause' }));
  setHandler(resumeSignal, () => void inbox.push({ kind: 'unpause' }));
  setHandler(progressQuery, () => progress(state));

  apply(input.state ? { kind: 'resume' } : { kind: 'start' });
  let timer: WaitTimer | null = null;

  while (state.status === 'running') {
    while (inbox.length > 0 && state.status === 'running') apply(inbox.shift()!);
    const current = command as FlowCommand | null;
    // A timer belongs to one wait; once the lead has moved on it is cancelled.
    const waitKey = current?.kind === 'wait_until' ? `${current.stepId}@${current.until}` : null;
    if (timer && timer.key !== waitKey) {
      timer.cancel();
      timer = null;
    }
    if (state.status !== 'running' || current === null || current.kind === 'complete') break;

    if (current.kind === 'run_action') {
      if (state.paused) {
        await condition(() => inbox.length > 0);
        continue;
      }
      apply(await runAction(input, current.stepId));
    } else if (current.kind === 'wait_until') {
      // One timer per wait, kept across the signals that wake the loop meanwhile.
      timer ??= startTimer(waitKey!, current.until - Date.now());
      const waiting: WaitTimer = timer;
      await condition(() => inbox.length > 0 || waiting.fired);
      if (waiting.fired && inbox.length === 0) {
        timer = null;
        apply({ kind: 'timer_fired', stepId: current.stepId });
      }
    } else {
      const results = await bookkeeping.evaluateLeadConditions({ leadId: input.leadId, conditions: current.conditions });
      apply({ kind: 'lookup_result', stepId: current.stepId, results });
    }

    if (state.status === 'running' && inbox.length === 0 && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof nurture>({ ...input, state });
    }
  }

  const status = state.status === 'exited' ? 'exited' : 'completed';
  const reason = state.endReason ?? 'flow_finished';
  await bookkeeping.completeEnrollment({ enrollmentId: input.enrollmentId, status, reason });
  return { enrollmentId: input.enrollmentId, status, reason, path: state.path.map((p) => p.stepId) };
}

interface WaitTimer {
  key: string;
  fired: boolean;
  cancel(): void;
}

/** A durable timer that can be cancelled; `fired` turns true when it ends. */
function startTimer(key: string, ms: number): WaitTimer {
  const timer: WaitTimer = { key, fired: ms <= 0, cancel: () => undefined };
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

/** Runs a step's activity; says what the interpreter should hear back. */
async function runAction(input: NurtureInput, stepId: string): Promise<FlowInput> {
  const step = input.flow.steps[stepId];
  const def = registry.get(step.type);
  const name = def?.activity as keyof Activities | undefined;
  if (!def || !name) return { kind: 'action_failed', stepId, reason: 'UnknownStepType' };
  const group = def.queue === 'email' ? emailActions : actions;
  const run = group[name] as (input: ActionInput) => Promise<ActionResult>;
  try {
    await run({ campaignId: input.campaignId, enrollmentId: input.enrollmentId, leadId: input.leadId, stepId, step });
    return { kind: 'action_completed', stepId };
  } catch (error) {
    const type = permanentFailure(error);
    // A paused campaign holds the step (it runs again on resume); an ended one ends the path;
    // any other failure for good (a hard bounce, a deleted template) ends the path and says why.
    if (type === ACTION_FAILURES.campaignPaused) return { kind: 'pause' };
    if (type === ACTION_FAILURES.campaignEnded) return { kind: 'exit', reason: 'campaign_ended' };
    return { kind: 'action_failed', stepId, reason: type };
  }
}

/** The failure type of an activity that failed without further retries; other errors propagate. */
function permanentFailure(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return error.cause.type ?? 'failed';
  throw error;
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
