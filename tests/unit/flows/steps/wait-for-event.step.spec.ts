import { FlowStep } from '@ce/flows';
import { controlStep, DAY, event, HOUR, stepContext } from '../flow-kit';

const waitForEvent = controlStep('wait_for_event');

const awaitClick: FlowStep = { type: 'wait_for_event', event: 'clicked', timeout: '3d', next: 'thanks', timeoutNext: 'nudge' };
const NOW = Date.parse('2026-03-02T09:00:00.000Z');

describe('wait_for_event step: settings', () => {
  it('accepts an event type with a timeout, optionally for one step or link', () => {
    expect(waitForEvent.validate(awaitClick)).toEqual([]);
    expect(waitForEvent.validate({ ...awaitClick, step: 'welcome', link: 'https://example.com/pricing' })).toEqual([]);
    expect(waitForEvent.validate({ type: 'wait_for_event', event: 'webinar_attended', timeout: 'P1W' })).toEqual([]);
  });

  it.each([undefined, '', 'Opened', 'clicked!', '1st', 7])('reports the event %p at path event', (type) => {
    expect(waitForEvent.validate({ ...awaitClick, event: type })).toEqual([
      { path: 'event', message: 'must be an event type such as opened, clicked or converted' },
    ]);
  });

  it.each([undefined, 'eventually', '0h', 3])('reports the timeout %p at path timeout', (timeout) => {
    expect(waitForEvent.validate({ ...awaitClick, timeout })).toEqual([
      { path: 'timeout', message: 'must be a positive duration such as "3d" or "12h"' },
    ]);
  });

  it('reports a step that is not a step id', () => {
    expect(waitForEvent.validate({ ...awaitClick, step: 3 })).toEqual([{ path: 'step', message: 'must be a step id' }]);
  });

  it('reports a link on an event other than clicked, and a link that is not text', () => {
    expect(waitForEvent.validate({ ...awaitClick, event: 'opened', link: 'https://example.com' })).toEqual([
      { path: 'link', message: 'only clicked events have a link' },
    ]);
    expect(waitForEvent.validate({ ...awaitClick, link: 42 })).toEqual([{ path: 'link', message: 'must be a URL' }]);
    expect(waitForEvent.validate({ ...awaitClick, link: `https://example.com/${'x'.repeat(2048)}` })).toEqual([
      { path: 'link', message: 'must be a URL' },
    ]);
  });

  it('reports a timeoutNext that is not a step id, and settings it does not know', () => {
    expect(waitForEvent.validate({ ...awaitClick, timeoutNext: 5, onTimeout: 'nudge' })).toEqual([
      { path: 'onTimeout', message: 'is not a setting of wait_for_event steps' },
      { path: 'timeoutNext', message: 'must be a step id or null' },
    ]);
  });

  it('leads to next and to timeoutNext, of which only the event path may be taken at once', () => {
    expect(waitForEvent.successors(awaitClick)).toEqual(['thanks', 'nudge']);
    expect(waitForEvent.immediateSuccessors!(awaitClick)).toEqual(['thanks']);
    expect(waitForEvent.holds).toBeFalsy();
    expect(waitForEvent.immediateSuccessors!({ ...awaitClick, next: null })).toEqual([]);
  });

  it('mentions the step whose message it waits on, for the validator to check', () => {
    expect(waitForEvent.mentions!({ ...awaitClick, step: 'welcome' })).toEqual([{ stepId: 'welcome', path: 'step' }]);
    expect(waitForEvent.mentions!(awaitClick)).toEqual([]);
  });
});

describe('wait_for_event step: waiting', () => {
  it('waits for the event until the timeout, then goes to timeoutNext', () => {
    expect(waitForEvent.enter!(awaitClick, stepContext({ now: NOW }))).toEqual({ kind: 'await_event', until: NOW + 3 * DAY, timeoutNext: 'nudge' });
    expect(waitForEvent.enter!({ ...awaitClick, timeout: '12h', timeoutNext: undefined }, stepContext({ now: NOW }))).toEqual({
      kind: 'await_event',
      until: NOW + 12 * HOUR,
      timeoutNext: null,
    });
  });

  it('goes to next when the awaited event comes', () => {
    expect(waitForEvent.onEvent!(awaitClick, event('clicked'), stepContext())).toEqual({ kind: 'goto', next: 'thanks' });
  });

  it('ignores an event of another type', () => {
    expect(waitForEvent.onEvent!(awaitClick, event('opened'), stepContext())).toBeNull();
  });

  it('counts an event that already happened in the enrollment, and goes straight on', () => {
    const context = stepContext({ now: NOW, events: [event('opened'), event('clicked', { stepId: 'welcome' })] });
    expect(waitForEvent.enter!(awaitClick, context)).toEqual({ kind: 'goto', next: 'thanks' });
  });

  it('waits when only other events happened before', () => {
    const context = stepContext({ now: NOW, events: [event('opened'), event('converted')] });
    expect(waitForEvent.enter!(awaitClick, context)).toMatchObject({ kind: 'await_event' });
  });

  it('matches only events about the given step when it names one', () => {
    const step = { ...awaitClick, step: 'welcome' };
    expect(waitForEvent.onEvent!(step, event('clicked', { stepId: 'reminder' }), stepContext())).toBeNull();
    expect(waitForEvent.onEvent!(step, event('clicked'), stepContext())).toBeNull();
    expect(waitForEvent.onEvent!(step, event('clicked', { stepId: 'welcome' }), stepContext())).toEqual({ kind: 'goto', next: 'thanks' });
  });

  it('matches only clicks on the given link when it names one', () => {
    const step = { ...awaitClick, link: 'https://example.com/pricing' };
    expect(waitForEvent.onEvent!(step, event('clicked', { url: 'https://example.com/blog' }), stepContext())).toBeNull();
    expect(waitForEvent.onEvent!(step, event('clicked', { url: 'https://example.com/pricing' }), stepContext())).toEqual({
      kind: 'goto',
      next: 'thanks',
    });
  });

  it('ends the flow on the event when next is absent', () => {
    expect(waitForEvent.onEvent!({ ...awaitClick, next: undefined }, event('clicked'), stepContext())).toEqual({ kind: 'goto', next: null });
  });
});
