import { parseDuration } from './duration';
import { FlowProblem, FlowStep, StepTypeDefinition } from './flow.types';

export const nextOf = (step: FlowStep): string[] => (typeof step.next === 'string' ? [step.next] : []);

export const waitStep: StepTypeDefinition = {
  type: 'wait',
  kind: 'control',
  description: 'Holds the lead for a duration (e.g. "3d", "12h", "P1W") before the next step.',
  validate(step) {
    const problems: FlowProblem[] = [];
    if (typeof step.duration !== 'string' || parseDuration(step.duration) === null) {
      problems.push({ path: 'duration', message: 'must be a positive duration such as "3d", "12h" or "P1W"' });
    }
    return problems;
  },
  successors: nextOf,
  holds: true,
  enter(step, now) {
    return { kind: 'sleep', until: now + (parseDuration(String(step.duration)) ?? 0), next: nextOf(step)[0] ?? null };
  },
};

export const exitStep: StepTypeDefinition = {
  type: 'exit',
  kind: 'control',
  description: 'Ends the lead\'s path through the flow.',
  validate(step) {
    return step.next === undefined || step.next === null
      ? []
      : [{ path: 'next', message: 'an exit step has no next step' }];
  },
  successors: () => [],
  enter: () => ({ kind: 'end', reason: 'exit_step' }),
};

export const CONTROL_STEP_TYPES: StepTypeDefinition[] = [waitStep, exitStep];
