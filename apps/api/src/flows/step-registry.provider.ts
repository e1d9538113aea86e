import { StepRegistry } from '@ce/flows';
import { ACTION_STEP_TYPES } from '@activities/step-types';

/** The same registry the workflows use, so design-time checks match what runs. */
export const stepRegistryProvider = { provide: StepRegistry, useValue: new StepRegistry(ACTION_STEP_TYPES) };
