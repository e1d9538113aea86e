import { parseDuration } from '../duration';
import { FlowEvent, FlowProblem, FlowStep, StepTypeDefinition } from '../flow.types';
import { NEXT_SCHEMA, optionalStepId, unknownSettings } from './step-helpers';

const EVENT_TYPE = /^[a-z][a-z0-9_]{0,63}$/;

/** True when the event is the one the step (or a branch condition) waits for. */
export function eventMatches(want: { type: unknown; step?: unknown; link?: unknown }, event: FlowEvent): boolean {
  if (event.type !== want.type) return false;
  if (typeof want.step === 'string' && event.stepId !== want.step) return false;
  if (typeof want.link === 'string' && event.url !== want.link) return false;
  return true;
}

/** What a wait_for_event step waits for, in the shape `eventMatches` takes. */
const wanted = (step: FlowStep) => ({ type: step.event, step: step.step, link: step.link });

const timeoutNextOf = (step: FlowStep): string | null => (typeof step.timeoutNext === 'string' ? step.timeoutNext : null);
const nextOnEvent = (step: FlowStep): string | null => (typeof step.next === 'string' ? step.next : null);

/**
 * `wait_for_event`: waits until the lead opens, clicks, converts (or any touchpoint type),
 * optionally for a given step's message or link, or until the timeout. An event that already
 * happened in this enrollment counts.
 */
export const waitForEventStep: StepTypeDefinition = {
  type: 'wait_for_event',
  kind: 'control',
  description:
    'Waits for an event (opened, clicked, converted, or any touchpoint type), optionally of a given step or link, ' +
    'then goes to `next`; after `timeout` without it, goes to `timeoutNext`.',
  schema: {
    type: 'object',
    required: ['event', 'timeout'],
    properties: {
      event: { type: 'string', examples: ['opened', 'clicked', 'converted', 'webinar_attended'] },
      step: { type: 'string', description: 'Only events about this step\'s message.' },
      link: { type: 'string', description: 'Only clicks on this URL (as written in the template).' },
      timeout: { type: 'string', examples: ['3d'] },
      next: { ...NEXT_SCHEMA, description: 'Where the lead goes when the event happens.' },
      timeoutNext: { type: ['string', 'null'], description: 'Where the lead goes when the timeout passes first.' },
    },
  },
  validate(step) {
    const problems: FlowProblem[] = unknownSettings(step, ['event', 'step', 'link', 'timeout', 'timeoutNext']);
    if (typeof step.event !== 'string' || !EVENT_TYPE.test(step.event))
      problems.push({ path: 'event', message: 'must be an event type such as opened, clicked or converted' });
    if (step.step !== undefined && typeof step.step !== 'string') problems.push({ path: 'step', message: 'must be a step id' });
    if (step.link !== undefined && (typeof step.link !== 'string' || step.link.length > 2048))
      problems.push({ path: 'link', message: 'must be a URL' });
    if (step.link !== undefined && step.event !== 'clicked') problems.push({ path: 'link', message: 'only clicked events have a link' });
    if (typeof step.timeout !== 'string' || parseDuration(step.timeout) === null)
      problems.push({ path: 'timeout', message: 'must be a positive duration such as "3d" or "12h"' });
    problems.push(...optionalStepId(step.timeoutNext, 'timeoutNext'));
    return problems;
  },
  successors: (step) => [nextOnEvent(step), timeoutNextOf(step)].filter((id): id is string => id !== null),
  mentions: (step) => (typeof step.step === 'string' ? [{ stepId: step.step, path: 'step' }] : []),
  // Only the timeout path is sure to pass time: the event may already have happened.
  immediateSuccessors: (step) => (nextOnEvent(step) === null ? [] : [nextOnEvent(step)!]),
  enter(step, { now, events }) {
    if (events.some((event) => eventMatches(wanted(step), event))) return { kind: 'goto', next: nextOnEvent(step) };
    return { kind: 'await_event', until: now + (parseDuration(String(step.timeout)) ?? 0), timeoutNext: timeoutNextOf(step) };
  },
  onEvent(step, event) {
    return eventMatches(wanted(step), event) ? { kind: 'goto', next: nextOnEvent(step) } : null;
  },
};
