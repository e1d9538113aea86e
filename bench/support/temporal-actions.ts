import type { WorkflowHandle } from '@temporalio/client';

export type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

/**
 * Billable actions in one workflow run's event history, as Temporal Cloud defines them
 * (https://docs.temporal.io/cloud/actions): workflow started (client start or continue-as-new);
 * every activity attempt ("activity started or retried" — the history keeps one started event per
 * activity, carrying the attempt number); timer started (also the implicit timer of a
 * `condition` with a timeout); signal received; search attribute upsert (except
 * TemporalChangeVersion alone); child workflow start (two); signal to another workflow; update
 * accepted; workflow options updated; and all markers (local activities, side effects) of one
 * workflow task as one. Not in a history, so not counted here: queries, activity heartbeats,
 * rejected updates.
 */
export interface HistoryActions {
  /** Actions by kind: `workflow started`, `timer started`, `signal <name>`, `activity <type>`… */
  byKind: Map<string, number>;
  /** Activity attempts by the flow step named in the activity's input (`stepId`), when it has one. */
  byStep: Map<string, number>;
  /** Attempts of activities whose input names no step (bookkeeping), by activity type. */
  unattributed: Map<string, number>;
  total: number;
  events: number;
  /** The workflow's result, when it completed (JSON). */
  result: unknown;
}

export function countActions(history: History): HistoryActions {
  const events = history.events ?? [];
  const byKind = new Map<string, number>();
  const byStep = new Map<string, number>();
  const unattributed = new Map<string, number>();
  const add = (kind: string, n = 1) => byKind.set(kind, (byKind.get(kind) ?? 0) + n);
  const scheduled = new Map<string, { type: string; stepId: string | null }>();
  const markerTasks = new Set<string>();
  let result: unknown = null;

  for (const event of events) {
    const id = String(event.eventId);
    if (event.workflowExecutionStartedEventAttributes) add('workflow started');
    else if (event.activityTaskScheduledEventAttributes) {
      const attributes = event.activityTaskScheduledEventAttributes;
      scheduled.set(id, { type: attributes.activityType?.name ?? 'unknown', stepId: stepIdOf(attributes.input?.payloads?.[0]) });
    } else if (event.activityTaskStartedEventAttributes) {
      const attributes = event.activityTaskStartedEventAttributes;
      const activity = scheduled.get(String(attributes.scheduledEventId)) ?? { type: 'unknown', stepId: null };
      const attempts = Math.max(1, attributes.attempt ?? 1);
      add(`activity ${activity.type}`, attempts);
      if (activity.stepId) byStep.set(activity.stepId, (byStep.get(activity.stepId) ?? 0) + attempts);
      else unattributed.set(activity.type, (unattributed.get(activity.type) ?? 0) + attempts);
    } else if (event.timerStartedEventAttributes) add('timer started');
    else if (event.workflowExecutionSignaledEventAttributes) add(`signal ${event.workflowExecutionSignaledEventAttributes.signalName}`);
    else if (event.upsertWorkflowSearchAttributesEventAttributes) {
      const fields = Object.keys(event.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {});
      if (fields.some((field) => field !== 'TemporalChangeVersion')) add('search attributes upserted');
    } else if (event.markerRecordedEventAttributes) {
      markerTasks.add(String(event.markerRecordedEventAttributes.workflowTaskCompletedEventId));
    } else if (event.startChildWorkflowExecutionInitiatedEventAttributes) add('child workflow started', 2);
    else if (event.signalExternalWorkflowExecutionInitiatedEventAttributes) add('signal sent');
    else if (event.workflowExecutionUpdateAcceptedEventAttributes) add('update accepted');
    else if (event.workflowExecutionOptionsUpdatedEventAttributes) add('workflow options updated');
    else if (event.workflowExecutionCompletedEventAttributes) result = decode(event.workflowExecutionCompletedEventAttributes.result?.payloads?.[0]);
  }
  if (markerTasks.size > 0) add('markers (one per workflow task)', markerTasks.size);
  const total = [...byKind.values()].reduce((sum, n) => sum + n, 0);
  return { byKind, byStep, unattributed, total, events: events.length, result };
}

type Payload = NonNullable<NonNullable<NonNullable<HistoryEvent['activityTaskScheduledEventAttributes']>['input']>['payloads']>[number];

function decode(payload: Payload | undefined): unknown {
  if (!payload?.data) return null;
  try {
    return JSON.parse(Buffer.from(payload.data).toString('utf8'));
  } catch {
    return null;
  }
}

function stepIdOf(payload: Payload | undefined): string | null {
  const input = decode(payload);
  return typeof input === 'object' && input !== null && typeof (input as { stepId?: unknown }).stepId === 'string'
    ? (input as { stepId: string }).stepId
    : null;
}
