import type { StepTypeDefinition } from '@ce/flows';
import { sendEmailStep } from './send-email/send-email.step';

/**
 * Every action step type, registered once. Pure definitions only (no I/O), so the API's
 * validator and the workflow's interpreter can both read this list.
 */
export const ACTION_STEP_TYPES: StepTypeDefinition[] = [sendEmailStep];
