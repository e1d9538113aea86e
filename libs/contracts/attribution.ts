import { defineSignal } from '@temporalio/workflow';

export interface AttributionWorkflowInput {
  conversionId: string;
}

/** Something changed for the conversion (a late touchpoint, new channel weights): attribute it again. */
export const reattributeSignal = defineSignal('reattribute');

/**
 * Something every conversion depends on changed (the attribution settings): the refresh runs
 * once more after the pass it is in, so that no conversion keeps credits from the old settings.
 */
export const refreshAgainSignal = defineSignal('refreshAgain');
