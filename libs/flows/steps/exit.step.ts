import { StepTypeDefinition } from '../flow.types';
import { unknownSettings } from './step-helpers';

/** `exit`: ends the lead's path, with an optional reason for reports. */
export const exitStep: StepTypeDefinition = {
  type: 'exit',
  kind: 'control',
  description: "Ends the lead's path through the flow.",
  schema: {
    type: 'object',
    properties: { reason: { type: 'string', maxLength: 64, description: 'Recorded as the enrollment\'s end reason.' } },
  },
  validate(step) {
    const problems = unknownSettings(step, ['reason']);
    if (step.next !== undefined && step.next !== null) problems.push({ path: 'next', message: 'an exit step has no next step' });
    if (step.reason !== undefined && (typeof step.reason !== 'string' || !/^[a-z0-9_]{1,64}$/.test(step.reason)))
      problems.push({ path: 'reason', message: 'must be 1 to 64 lower-case letters, digits or underscores' });
    return problems;
  },
  successors: () => [],
  enter: (step) => ({ kind: 'end', reason: typeof step.reason === 'string' ? step.reason : 'exit_step' }),
};
