import { defineSignal } from '@temporalio/workflow';

export interface AttributionWorkflowInput {
  conversionId: string;
}

/** Something changed for the conversion (a late touchpoint, new channel weights): attribute it again. */
export const reattributeSignal = defineSignal('reattribute');
