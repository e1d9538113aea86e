import { defineSignal } from '@temporalio/workflow';

export interface HandoffInput {
  handoffId: string;
}

/** How a hand-off ended, for its workflow's result. */
export interface HandoffResult {
  outcome: 'decided' | 'escalated';
  /** The reps it was assigned to, in order. */
  owners: string[];
}

/**
 * The owner (or an admin) accepted or rejected the lead: recorded in the database first, then
 * signalled, so the workflow stops waiting and sets no more timers.
 */
export const handoffDecidedSignal = defineSignal('handoffDecided');
