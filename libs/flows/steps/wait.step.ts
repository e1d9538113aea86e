import { parseDuration } from '../duration';
import { FlowProblem, StepTypeDefinition } from '../flow.types';
import { NEXT_SCHEMA, nextOf, unknownSettings } from './step-helpers';

/** `wait`: holds the lead for a duration. */
export const waitStep: StepTypeDefinition = {
  type: 'wait',
  kind: 'control',
  description: 'Holds the lead for a duration (e.g. "3d", "12h", "P1W") before the next step.',
  schema: {
    type: 'object',
    required: ['duration'],
    properties: { duration: { type: 'string', examples: ['3d', '12h', 'P1W'] }, next: NEXT_SCHEMA },
  },
  validate(step) {
    const problems: FlowProblem[] = unknownSettings(step, ['duration']);
    if (typeof step.duration !== 'string' || parseDuration(step.duration) === null) {
      problems.push({ path: 'duration', message: 'must be a positive duration such as "3d", "12h" or "P1W"' });
    }
    return problems;
  },
  successors: nextOf,
  holds: true,
  enter(step, { now }) {
    return { kind: 'sleep', until: now + (parseDuration(String(step.duration)) ?? 0), next: nextOf(step)[0] ?? null };
  },
};
