import { defineSignal } from '@temporalio/workflow';

/**
 * The scoring model changed while every lead's score was being worked out again: the
 * recompute starts over from the first lead after the page it is on, under the new model.
 */
export const recomputeAgainSignal = defineSignal('recomputeAgain');
