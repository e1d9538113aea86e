import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  engagementSignal,
  exitSignal,
  NurtureInput,
  NurtureResult,
  progressQuery,
  type ActionInput,
  type ActionResult,
} from '@ce/contracts';
import { advance, FlowInput, initialFlowState, StepRegistry } from '@ce/flows';
import { ACTION_STEP_TYPES } from '@activities/step-types';
import type { Activities } from '@activities/index';

const registry = new StepRegistry(ACTION_STEP_TYPES);

/** Sends and other side effects: retried with backoff until they succeed or fail for good. */
const actions = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One lead's path through one campaign's flow. The pure interpreter decides; this loop only
 * carries out what it says: run an action, wait until a time (waking for signals), or finish.
 */
export async function nurture(input: NurtureInput): Promise<NurtureResult> {
  let state = input.state ?? initialFlowState();
  const inbox: FlowInput[] = [];

  setHandler(engagementSignal, (event) => {
    inbox.push({ kind: 'engagement', type: event.type, stepId: event.stepId, occurredAt: event.occurredAt });
  });
  setHandler(exitSignal, (event) => {
    inbox.push({ kind: 'exit', reason: event.reason });
  });
  setHandler(progressQuery, () => ({ currentStepId: state.currentStepId, status: state.status, path: state.path }));

  const apply = (event: FlowInput) => {
    state = advance(input.flow, state, event, Date.now(), registry).state;
  };

  if (!input.state) apply({ kind: 'start' });

  while (state.status === 'running') {
    while (inbox.length > 0) apply(inbox.shift()!);
    const awaiting = state.awaiting;
    if (state.status !== 'running' || !awaiting) break;

    if (awaiting.kind === 'action') {
      const failure = await runAction(input, awaiting.stepId).then(
        () => null,
        (error: unknown) => permanentFailure(error),
      );
      // A step that failed for good (a hard bounce, a deleted template) ends this lead's path
      // and says why; the enrollment is closed rather than left hanging.
      apply(failure ? { kind: 'exit', reason: `${awaiting.stepId}:${failure}` } : { kind: 'action_completed', stepId: awaiting.stepId });
    } else {
      const remaining = awaiting.until - Date.now();
      const woken = remaining > 0 && (await condition(() => inbox.length > 0, remaining));
      if (!woken) apply({ kind: 'timer_fired', stepId: awaiting.stepId });
    }

    if (state.status === 'running' && inbox.length === 0 && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof nurture>({ ...input, state });
    }
  }

  const status = state.status === 'exited' ? 'exited' : 'completed';
  const reason = state.endReason ?? 'flow_finished';
  await bookkeeping.completeEnrollment({ enrollmentId: input.enrollmentId, status, reason });
  return { enrollmentId: input.enrollmentId, reason, path: state.path.map((p) => p.stepId) };
}

/** The failure type of an activity that failed without further retries; other errors propagate. */
function permanentFailure(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
    return error.cause.type ?? 'failed';
  }
  throw error;
}

async function runAction(input: NurtureInput, stepId: string): Promise<ActionResult> {
  const step = input.flow.steps[stepId];
  const activity = registry.get(step.type)?.activity as keyof Activities | undefined;
  if (!activity) throw ApplicationFailure.nonRetryable(`Step type ${step.type} has no activity`, 'UnknownStepType');
  const run = actions[activity] as (input: ActionInput) => Promise<ActionResult>;
  return run({
    campaignId: input.campaignId,
    enrollmentId: input.enrollmentId,
    leadId: input.leadId,
    stepId,
    step,
  });
}
