import { StepTypeDefinition } from '../flow.types';
import { branchStep } from './branch.step';
import { exitStep } from './exit.step';
import { splitStep } from './split.step';
import { waitForEventStep } from './wait-for-event.step';
import { waitUntilStep } from './wait-until.step';
import { waitStep } from './wait.step';

export { nextOf, nextAfter } from './step-helpers';
export { splitBucket } from './split.step';
export { nextWindowStart, resolveZone } from './wait-until.step';
export { eventMatches } from './wait-for-event.step';
export type { BranchCondition } from './branch-conditions';

/** The step types the workflow runs itself, without an activity. */
export const CONTROL_STEP_TYPES: StepTypeDefinition[] = [waitStep, waitUntilStep, waitForEventStep, branchStep, splitStep, exitStep];
