import { advance, Advance, COMPACT_KEEP, FlowDefinition, FlowInput, FlowState, initialFlowState, MAX_EVENTS, MAX_PATH, splitBucket, statesToCarry } from '@ce/flows';
import { DAY, event, FOLLOW_UP_TEMPLATE, HOUR, registry, WELCOME_TEMPLATE } from './flow-kit';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');

/** welcome email → wait 3 days → follow-up email. */
const NURTURE: FlowDefinition = {
  entry: 'welcome',
  steps: {
    welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE, next: 'pause' },
    pause: { type: 'wait', duration: '3d', next: 'followUp' },
    followUp: { type: 'send_email', templateId: FOLLOW_UP_TEMPLATE },
  },
};

function run(flow: FlowDefinition, state: FlowState, input: FlowInput, now = T0): Advance {
  return advance(flow, state, input, now, registry);
}

/** Starts a lead on the flow at T0. */
function start(flow: FlowDefinition, state = initialFlowState('lead-1')): Advance {
  return run(flow, state, { kind: 'start' });
}

/** Feeds inputs one after another, each at its time; returns the last result. */
function feed(flow: FlowDefinition, state: FlowState, inputs: [FlowInput, number][]): Advance {
  let result: Advance = { state, commands: [] };
  for (const [input, now] of inputs) result = run(flow, result.state, input, now);
  return result;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const send = (templateId: string, next: string | null = null) => ({ type: 'send_email', templateId, next });

describe('initialFlowState', () => {
  it('has the lead running, on no step, unpaused, on the campaign\'s UTC clock unless zones are given', () => {
    expect(initialFlowState('lead-1')).toEqual({
      status: 'running',
      leadId: 'lead-1',
      timeZones: { lead: null, campaign: 'UTC' },
      currentStepId: null,
      awaiting: null,
      paused: false,
      path: [],
      events: [],
    });
    expect(initialFlowState('lead-2', { lead: 'Europe/Berlin', campaign: 'America/New_York' }).timeZones).toEqual({
      lead: 'Europe/Berlin',
      campaign: 'America/New_York',
    });
  });
});

describe('advance: start', () => {
  it('enters the entry step and asks to run its action', () => {
    const { state, commands } = start(NURTURE);
    expect(commands).toEqual([{ kind: 'run_action', stepId: 'welcome', step: NURTURE.steps.welcome }]);
    expect(state).toMatchObject({ status: 'running', currentStepId: 'welcome', awaiting: { kind: 'action', stepId: 'welcome' } });
    expect(state.path).toEqual([{ stepId: 'welcome', enteredAt: '2026-03-02T09:00:00.000Z' }]);
  });

  it('ignores a second start once the lead is in the flow', () => {
    const started = start(NURTURE).state;
    expect(run(NURTURE, started, { kind: 'start' }, T0 + HOUR)).toEqual({ state: started, commands: [] });
  });

  it('goes through control steps in one call until one makes the lead wait', () => {
    const flow: FlowDefinition = {
      entry: 'ab',
      steps: {
        ab: { type: 'split', variants: [{ percent: 50, next: 'hold' }, { percent: 50, next: 'hold' }] },
        hold: { type: 'wait', duration: '2h', next: null },
      },
    };
    const { state, commands } = start(flow);
    expect(commands).toEqual([{ kind: 'wait_until', stepId: 'hold', until: T0 + 2 * HOUR }]);
    expect(state.path.map((p) => p.stepId)).toEqual(['ab', 'hold']);
    expect(state.awaiting).toEqual({ kind: 'timer', stepId: 'hold', until: T0 + 2 * HOUR, next: null });
  });
});

describe('advance: action steps', () => {
  it('moves to the next step when the awaited action completes', () => {
    const { state, commands } = run(NURTURE, start(NURTURE).state, { kind: 'action_completed', stepId: 'welcome' }, T0 + 5_000);
    expect(state.currentStepId).toBe('pause');
    expect(commands).toEqual([{ kind: 'wait_until', stepId: 'pause', until: T0 + 5_000 + 3 * DAY }]);
  });

  it('ignores a completion for a step it is not waiting on', () => {
    const started = start(NURTURE).state;
    expect(run(NURTURE, started, { kind: 'action_completed', stepId: 'followUp' })).toEqual({ state: started, commands: [] });
    const waiting = run(NURTURE, started, { kind: 'action_completed', stepId: 'welcome' }).state;
    expect(run(NURTURE, waiting, { kind: 'action_completed', stepId: 'welcome' })).toEqual({ state: waiting, commands: [] });
  });

  it('completes with flow_finished after the last step', () => {
    const flow: FlowDefinition = { entry: 'only', steps: { only: send(WELCOME_TEMPLATE) } };
    const { state, commands } = run(flow, start(flow).state, { kind: 'action_completed', stepId: 'only' });
    expect(commands).toEqual([{ kind: 'complete', status: 'completed', reason: 'flow_finished' }]);
    expect(state).toMatchObject({ status: 'completed', endReason: 'flow_finished', awaiting: null });
  });

  it('ends the path as exited with <step>:<reason> when the action fails for good', () => {
    const { state, commands } = run(NURTURE, start(NURTURE).state, { kind: 'action_failed', stepId: 'welcome', reason: 'PermanentBounce' });
    expect(commands).toEqual([{ kind: 'complete', status: 'exited', reason: 'welcome:PermanentBounce' }]);
    expect(state).toMatchObject({ status: 'exited', endReason: 'welcome:PermanentBounce', awaiting: null, currentStepId: 'welcome' });
  });

  it('ignores a failure for a step it is not waiting on', () => {
    const started = start(NURTURE).state;
    expect(run(NURTURE, started, { kind: 'action_failed', stepId: 'followUp', reason: 'x' })).toEqual({ state: started, commands: [] });
  });
});

describe('advance: wait and wait_until', () => {
  const HOLD: FlowDefinition = { entry: 'hold', steps: { hold: { type: 'wait', duration: '1h', next: 'welcome' }, welcome: send(WELCOME_TEMPLATE) } };

  it('moves on when the timer of the current wait fires, and not for another step\'s timer', () => {
    const waiting = start(HOLD).state;
    expect(run(HOLD, waiting, { kind: 'timer_fired', stepId: 'other' }, T0 + HOUR)).toEqual({ state: waiting, commands: [] });
    const { state, commands } = run(HOLD, waiting, { kind: 'timer_fired', stepId: 'hold' }, T0 + HOUR);
    expect(state.currentStepId).toBe('welcome');
    expect(commands).toEqual([{ kind: 'run_action', stepId: 'welcome', step: HOLD.steps.welcome }]);
  });

  it('ignores a timer that fires again after the lead moved on', () => {
    const moved = feed(HOLD, start(HOLD).state, [[{ kind: 'timer_fired', stepId: 'hold' }, T0 + HOUR]]).state;
    expect(run(HOLD, moved, { kind: 'timer_fired', stepId: 'hold' }, T0 + 2 * HOUR)).toEqual({ state: moved, commands: [] });
  });

  it('waits for a wait_until window on the lead\'s clock, from the zones in the state', () => {
    const flow: FlowDefinition = { entry: 'office', steps: { office: { type: 'wait_until', window: { from: '09:00', to: '17:00' }, next: null } } };
    const lead = initialFlowState('lead-1', { lead: 'America/New_York', campaign: 'Europe/Berlin' });
    // T0 is 04:00 in New York: the window opens at 09:00 there, 14:00 UTC.
    expect(start(flow, lead).commands).toEqual([{ kind: 'wait_until', stepId: 'office', until: Date.parse('2026-03-02T14:00:00Z') }]);
    const campaignClock = initialFlowState('lead-1', { lead: null, campaign: 'Europe/Berlin' });
    // T0 is 10:00 in Berlin, inside the window: no waiting.
    expect(start(flow, campaignClock).commands).toEqual([{ kind: 'wait_until', stepId: 'office', until: T0 }]);
  });

  it('lets the lead through a wait_until whose date has passed as soon as the timer fires', () => {
    const flow: FlowDefinition = {
      entry: 'launch',
      steps: { launch: { type: 'wait_until', at: '2026-01-01T00:00:00Z', next: 'welcome' }, welcome: send(WELCOME_TEMPLATE) },
    };
    const { state, commands } = start(flow);
    expect(commands).toEqual([{ kind: 'wait_until', stepId: 'launch', until: T0 }]);
    expect(run(flow, state, { kind: 'timer_fired', stepId: 'launch' }).commands).toEqual([
      { kind: 'run_action', stepId: 'welcome', step: flow.steps.welcome },
    ]);
  });
});

describe('advance: wait_for_event', () => {
  const AWAIT_OPEN: FlowDefinition = {
    entry: 'welcome',
    steps: {
      welcome: send(WELCOME_TEMPLATE, 'awaitOpen'),
      awaitOpen: { type: 'wait_for_event', event: 'opened', step: 'welcome', timeout: '2d', next: 'deeper', timeoutNext: 'resend' },
      deeper: send(FOLLOW_UP_TEMPLATE),
      resend: send(WELCOME_TEMPLATE),
    },
  };
  const awaiting = () => run(AWAIT_OPEN, start(AWAIT_OPEN).state, { kind: 'action_completed', stepId: 'welcome' }, T0 + HOUR);

  it('waits for the event until the timeout', () => {
    const { state, commands } = awaiting();
    expect(commands).toEqual([{ kind: 'wait_until', stepId: 'awaitOpen', until: T0 + HOUR + 2 * DAY }]);
    expect(state.awaiting).toEqual({ kind: 'event', stepId: 'awaitOpen', until: T0 + HOUR + 2 * DAY, timeoutNext: 'resend' });
  });

  it('goes to next when the event comes', () => {
    const opened = event('opened', { stepId: 'welcome' });
    const { state, commands } = run(AWAIT_OPEN, awaiting().state, { kind: 'event', event: opened }, T0 + DAY);
    expect(commands).toEqual([{ kind: 'run_action', stepId: 'deeper', step: AWAIT_OPEN.steps.deeper }]);
    expect(state.events).toEqual([opened]);
  });

  it('counts an event that came before the lead reached the step', () => {
    const { state, commands } = feed(AWAIT_OPEN, start(AWAIT_OPEN).state, [
      [{ kind: 'event', event: event('opened', { stepId: 'welcome' }) }, T0 + 1],
      [{ kind: 'action_completed', stepId: 'welcome' }, T0 + 2],
    ]);
    expect(commands).toEqual([{ kind: 'run_action', stepId: 'deeper', step: AWAIT_OPEN.steps.deeper }]);
    expect(state.path.map((p) => p.stepId)).toEqual(['welcome', 'awaitOpen', 'deeper']);
  });

  it('records but ignores events of another type or about another step', () => {
    const waiting = awaiting().state;
    const { state, commands } = feed(AWAIT_OPEN, waiting, [
      [{ kind: 'event', event: event('clicked', { stepId: 'welcome' }) }, T0 + DAY],
      [{ kind: 'event', event: event('opened', { stepId: 'other' }) }, T0 + DAY],
      [{ kind: 'event', event: event('opened') }, T0 + DAY],
    ]);
    expect(commands).toEqual([]);
    expect(state.awaiting).toEqual(waiting.awaiting);
    expect(state.events.map((e) => e.type)).toEqual(['clicked', 'opened', 'opened']);
  });

  it('matches a click only on the link the step names', () => {
    const flow: FlowDefinition = {
      entry: 'awaitClick',
      steps: {
        awaitClick: { type: 'wait_for_event', event: 'clicked', link: 'https://example.com/pricing', timeout: '1d', next: 'sales', timeoutNext: null },
        sales: { type: 'notify_sales', to: ['sales@example.com'], message: 'Pricing clicked' },
      },
    };
    const waiting = start(flow).state;
    expect(run(flow, waiting, { kind: 'event', event: event('clicked', { url: 'https://example.com/blog' }) }).commands).toEqual([]);
    expect(run(flow, waiting, { kind: 'event', event: event('clicked', { url: 'https://example.com/pricing' }) }).commands).toEqual([
      { kind: 'run_action', stepId: 'sales', step: flow.steps.sales },
    ]);
  });

  it('takes the timeout path when the timer fires first, or completes when there is none', () => {
    const timedOut = run(AWAIT_OPEN, awaiting().state, { kind: 'timer_fired', stepId: 'awaitOpen' }, T0 + HOUR + 2 * DAY);
    expect(timedOut.commands).toEqual([{ kind: 'run_action', stepId: 'resend', step: AWAIT_OPEN.steps.resend }]);

    const noTimeoutPath: FlowDefinition = { entry: 'w', steps: { w: { type: 'wait_for_event', event: 'opened', timeout: '1d', next: null } } };
    const ended = run(noTimeoutPath, start(noTimeoutPath).state, { kind: 'timer_fired', stepId: 'w' }, T0 + DAY);
    expect(ended.commands).toEqual([{ kind: 'complete', status: 'completed', reason: 'flow_finished' }]);
  });

  it('does not move again for an event that comes after the timeout path was taken', () => {
    const timedOut = run(AWAIT_OPEN, awaiting().state, { kind: 'timer_fired', stepId: 'awaitOpen' }, T0 + 3 * DAY).state;
    const late = run(AWAIT_OPEN, timedOut, { kind: 'event', event: event('opened', { stepId: 'welcome' }) }, T0 + 4 * DAY);
    expect(late.commands).toEqual([]);
    expect(late.state.awaiting).toEqual({ kind: 'action', stepId: 'resend' });
  });
});

describe('advance: branch', () => {
  const HIGH_SCORE = { field: 'score', op: 'gte', value: 50 };
  const IN_EUROPE = { field: 'country', op: 'in', value: ['DE', 'FR'] };
  const QUALIFY: FlowDefinition = {
    entry: 'qualify',
    steps: {
      qualify: { type: 'branch', branches: [{ when: { lead: HIGH_SCORE }, next: 'sales' }], otherwise: 'nurture' },
      sales: { type: 'notify_sales', to: ['sales@example.com'], message: 'Hot lead' },
      nurture: send(WELCOME_TEMPLATE),
    },
  };

  it('asks to look the lead up, then follows the branch when the answer is true', () => {
    const { state, commands } = start(QUALIFY);
    expect(commands).toEqual([{ kind: 'lookup', stepId: 'qualify', conditions: [HIGH_SCORE] }]);
    expect(state.awaiting).toEqual({ kind: 'lookup', stepId: 'qualify', conditions: [HIGH_SCORE] });
    const hot = run(QUALIFY, state, { kind: 'lookup_result', stepId: 'qualify', results: [true] });
    expect(hot.commands).toEqual([{ kind: 'run_action', stepId: 'sales', step: QUALIFY.steps.sales }]);
  });

  it('goes to otherwise when the lookup answers false', () => {
    const cold = run(QUALIFY, start(QUALIFY).state, { kind: 'lookup_result', stepId: 'qualify', results: [false] });
    expect(cold.commands).toEqual([{ kind: 'run_action', stepId: 'nurture', step: QUALIFY.steps.nurture }]);
    expect(cold.state.path.map((p) => p.stepId)).toEqual(['qualify', 'nurture']);
  });

  it('ignores a lookup result for another step, or when no lookup is awaited', () => {
    const waiting = start(QUALIFY).state;
    expect(run(QUALIFY, waiting, { kind: 'lookup_result', stepId: 'other', results: [true] })).toEqual({ state: waiting, commands: [] });
    const moved = run(QUALIFY, waiting, { kind: 'lookup_result', stepId: 'qualify', results: [true] }).state;
    expect(run(QUALIFY, moved, { kind: 'lookup_result', stepId: 'qualify', results: [false] })).toEqual({ state: moved, commands: [] });
  });

  describe('on events of the enrollment, without a lookup', () => {
    const ENGAGED: FlowDefinition = {
      entry: 'welcome',
      steps: {
        welcome: send(WELCOME_TEMPLATE, 'opened'),
        opened: { type: 'branch', branches: [{ when: { event: { type: 'opened', step: 'welcome' } }, next: 'deeper' }], otherwise: 'resend' },
        deeper: send(FOLLOW_UP_TEMPLATE),
        resend: send(WELCOME_TEMPLATE),
      },
    };

    it('follows the branch when the event happened', () => {
      const { commands } = feed(ENGAGED, start(ENGAGED).state, [
        [{ kind: 'event', event: event('opened', { stepId: 'welcome' }) }, T0 + 1],
        [{ kind: 'action_completed', stepId: 'welcome' }, T0 + 2],
      ]);
      expect(commands).toEqual([{ kind: 'run_action', stepId: 'deeper', step: ENGAGED.steps.deeper }]);
    });

    it('goes to otherwise when it did not', () => {
      const { commands } = feed(ENGAGED, start(ENGAGED).state, [
        [{ kind: 'event', event: event('opened', { stepId: 'resend' }) }, T0 + 1],
        [{ kind: 'action_completed', stepId: 'welcome' }, T0 + 2],
      ]);
      expect(commands).toEqual([{ kind: 'run_action', stepId: 'resend', step: ENGAGED.steps.resend }]);
    });
  });

  describe('mixing lead and event conditions with all, any and not', () => {
    const MIXED: FlowDefinition = {
      entry: 'choose',
      steps: {
        choose: {
          type: 'branch',
          branches: [
            { when: { all: [{ event: { type: 'clicked' } }, { lead: HIGH_SCORE }] }, next: 'hot' },
            { when: { any: [{ not: { lead: IN_EUROPE } }, { event: { type: 'opened' } }] }, next: 'warm' },
          ],
          otherwise: 'cold',
        },
        hot: send(WELCOME_TEMPLATE),
        warm: send(WELCOME_TEMPLATE),
        cold: send(WELCOME_TEMPLATE),
      },
    };

    it('looks up only the lead conditions, in order', () => {
      expect(start(MIXED).commands).toEqual([{ kind: 'lookup', stepId: 'choose', conditions: [HIGH_SCORE, IN_EUROPE] }]);
    });

    it.each([
      ['clicked, high score', ['clicked'], [true, true], 'hot'],
      ['high score, no click, in Europe', [], [true, true], 'cold'],
      ['high score, no click, outside Europe', [], [true, false], 'warm'],
      ['in Europe but opened', ['opened'], [false, true], 'warm'],
      ['clicked, low score, in Europe', ['clicked'], [false, true], 'cold'],
    ])('%s → %s', (_label, happened, answers, expected) => {
      let state = start(MIXED).state;
      for (const type of happened) state = run(MIXED, state, { kind: 'event', event: event(type) }).state;
      const { commands } = run(MIXED, state, { kind: 'lookup_result', stepId: 'choose', results: answers });
      expect(commands).toEqual([{ kind: 'run_action', stepId: expected, step: MIXED.steps[expected] }]);
    });
  });
});

describe('advance: split', () => {
  const AB: FlowDefinition = {
    entry: 'ab',
    steps: {
      ab: { type: 'split', variants: [{ percent: 20, next: 'a' }, { percent: 80, next: 'b' }] },
      a: send(WELCOME_TEMPLATE),
      b: send(FOLLOW_UP_TEMPLATE),
    },
  };
  const leadIds = Array.from({ length: 10_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const variantOf = (leadId: string, now = T0) => run(AB, initialFlowState(leadId), { kind: 'start' }, now).state.currentStepId;

  it('sends a lead down the variant its bucket names, the same on every run', () => {
    for (const leadId of leadIds.slice(0, 50)) {
      expect(variantOf(leadId)).toBe(splitBucket(leadId, 'ab') < 2_000 ? 'a' : 'b');
      expect(variantOf(leadId, T0 + 7 * DAY)).toBe(variantOf(leadId));
    }
  });

  it('sends 10,000 leads down the variants within two points of their percentages', () => {
    const toA = leadIds.filter((leadId) => variantOf(leadId) === 'a').length;
    expect(Math.abs(toA / 100 - 20)).toBeLessThanOrEqual(2);
  });
});

describe('advance: exit step and exit input', () => {
  it('completes the path at an exit step, with its reason', () => {
    const flow: FlowDefinition = { entry: 'welcome', steps: { welcome: send(WELCOME_TEMPLATE, 'done'), done: { type: 'exit', reason: 'not_a_fit' } } };
    const { state, commands } = run(flow, start(flow).state, { kind: 'action_completed', stepId: 'welcome' });
    expect(commands).toEqual([{ kind: 'complete', status: 'completed', reason: 'not_a_fit' }]);
    expect(state).toMatchObject({ status: 'completed', currentStepId: 'done', endReason: 'not_a_fit', awaiting: null });
  });

  it.each<[string, FlowInput[]]>([
    ['an action', []],
    ['a timer', [{ kind: 'action_completed', stepId: 'welcome' }]],
    ['a paused action', [{ kind: 'pause' }]],
  ])('ends the path as exited with the reason given while awaiting %s', (_label, before) => {
    const state = feed(NURTURE, start(NURTURE).state, before.map((input) => [input, T0]));
    const { state: ended, commands } = run(NURTURE, state.state, { kind: 'exit', reason: 'erased' });
    expect(commands).toEqual([{ kind: 'complete', status: 'exited', reason: 'erased' }]);
    expect(ended).toMatchObject({ status: 'exited', endReason: 'erased', awaiting: null });
  });
});

describe('advance: events and exit rules', () => {
  it('records events oldest first without moving the lead', () => {
    const started = start(NURTURE).state;
    const opened = event('opened', { stepId: 'welcome', occurredAt: '2026-03-02T10:00:00.000Z' });
    const clicked = event('clicked', { stepId: 'welcome', url: 'https://example.com', occurredAt: '2026-03-02T10:05:00.000Z' });
    const result = feed(NURTURE, started, [
      [{ kind: 'event', event: opened }, T0 + 1],
      [{ kind: 'event', event: clicked }, T0 + 2],
    ]);
    expect(result.commands).toEqual([]);
    expect(result.state).toEqual({ ...started, events: [opened, clicked] });
  });

  it(`keeps only the latest ${MAX_EVENTS} events`, () => {
    let state = start(NURTURE).state;
    for (let i = 0; i < MAX_EVENTS + 25; i++) state = run(NURTURE, state, { kind: 'event', event: event('opened', { stepId: `s${i}` }) }).state;
    expect(state.events).toHaveLength(MAX_EVENTS);
    expect(state.events[0].stepId).toBe('s25');
    expect(state.events[MAX_EVENTS - 1].stepId).toBe(`s${MAX_EVENTS + 24}`);
  });

  it('keeps one event of each kind, the latest: the same open or click again replaces the earlier one', () => {
    let state = start(NURTURE).state;
    const at = (minute: number) => `2026-03-02T10:${String(minute).padStart(2, '0')}:00.000Z`;
    for (let i = 0; i < 30; i++) {
      state = run(NURTURE, state, { kind: 'event', event: event('opened', { stepId: 'welcome', occurredAt: at(i) }) }).state;
      state = run(NURTURE, state, { kind: 'event', event: event('clicked', { stepId: 'welcome', url: 'https://example.com/a', occurredAt: at(i) }) }).state;
    }
    state = run(NURTURE, state, { kind: 'event', event: event('clicked', { stepId: 'welcome', url: 'https://example.com/b', occurredAt: at(45) }) }).state;
    expect(state.events).toEqual([
      event('opened', { stepId: 'welcome', occurredAt: at(29) }),
      event('clicked', { stepId: 'welcome', url: 'https://example.com/a', occurredAt: at(29) }),
      event('clicked', { stepId: 'welcome', url: 'https://example.com/b', occurredAt: at(45) }),
    ]);
  });

  it(`keeps only the latest ${MAX_PATH} steps of a long-running loop's path`, () => {
    const loop: FlowDefinition = { entry: 'hold', steps: { hold: { type: 'wait', duration: '1d', next: 'hold' } } };
    let state = start(loop).state;
    for (let i = 1; i <= MAX_PATH + 10; i++) state = run(loop, state, { kind: 'timer_fired', stepId: 'hold' }, T0 + i * DAY).state;
    expect(state.path).toHaveLength(MAX_PATH);
    expect(state.path[MAX_PATH - 1].enteredAt).toBe(new Date(T0 + (MAX_PATH + 10) * DAY).toISOString());
  });

  it.each(['converted', 'unsubscribed'])('ends the path when the lead is %s, by default', (type) => {
    const waiting = run(NURTURE, start(NURTURE).state, { kind: 'action_completed', stepId: 'welcome' }).state;
    const { state, commands } = run(NURTURE, waiting, { kind: 'event', event: event(type) }, T0 + DAY);
    expect(commands).toEqual([{ kind: 'complete', status: 'exited', reason: type }]);
    expect(state).toMatchObject({ status: 'exited', endReason: type, awaiting: null });
    expect(state.events.map((e) => e.type)).toEqual([type]);
  });

  it('keeps the lead in a flow whose rules name only conversion when it unsubscribes, and ends it on conversion', () => {
    const flow: FlowDefinition = { ...NURTURE, exitRules: [{ on: 'conversion' }] };
    const waiting = run(flow, start(flow).state, { kind: 'action_completed', stepId: 'welcome' }).state;
    const unsubscribed = run(flow, waiting, { kind: 'event', event: event('unsubscribed') }, T0 + DAY);
    expect(unsubscribed.commands).toEqual([]);
    expect(unsubscribed.state).toMatchObject({ status: 'running', currentStepId: 'pause', awaiting: waiting.awaiting });
    expect(run(flow, unsubscribed.state, { kind: 'event', event: event('converted') }).commands).toEqual([
      { kind: 'complete', status: 'exited', reason: 'converted' },
    ]);
  });

  it('keeps the lead in on conversion when the rules name only unsubscribe, and in on both when there are no rules', () => {
    const unsubscribeOnly: FlowDefinition = { ...NURTURE, exitRules: [{ on: 'unsubscribe' }] };
    expect(run(unsubscribeOnly, start(unsubscribeOnly).state, { kind: 'event', event: event('converted') }).state.status).toBe('running');
    const none: FlowDefinition = { ...NURTURE, exitRules: [] };
    const after = feed(none, start(none).state, [
      [{ kind: 'event', event: event('converted') }, T0],
      [{ kind: 'event', event: event('unsubscribed') }, T0],
    ]);
    expect(after.state.status).toBe('running');
    expect(after.commands).toEqual([]);
  });

  it('ends the path on conversion even while a wait_for_event awaits a conversion, when the rules say so', () => {
    const flow: FlowDefinition = {
      entry: 'w',
      steps: { w: { type: 'wait_for_event', event: 'converted', timeout: '7d', next: 'thanks' }, thanks: send(WELCOME_TEMPLATE) },
    };
    expect(run(flow, start(flow).state, { kind: 'event', event: event('converted') }).commands).toEqual([
      { kind: 'complete', status: 'exited', reason: 'converted' },
    ]);
    const keepConverts: FlowDefinition = { ...flow, exitRules: [{ on: 'unsubscribe' }] };
    expect(run(keepConverts, start(keepConverts).state, { kind: 'event', event: event('converted') }).commands).toEqual([
      { kind: 'run_action', stepId: 'thanks', step: flow.steps.thanks },
    ]);
  });
});

describe('advance: pause and unpause', () => {
  it('records the pause and issues nothing, leaving what the lead awaits as it was', () => {
    const started = start(NURTURE).state;
    const { state, commands } = run(NURTURE, started, { kind: 'pause' });
    expect(commands).toEqual([]);
    expect(state).toEqual({ ...started, paused: true });
  });

  it.each<[string, FlowDefinition, FlowInput[], object]>([
    ['the action', NURTURE, [], { kind: 'run_action', stepId: 'welcome', step: NURTURE.steps.welcome }],
    [
      'the timer, with its original end',
      NURTURE,
      [{ kind: 'action_completed', stepId: 'welcome' }],
      { kind: 'wait_until', stepId: 'pause', until: T0 + 3 * DAY },
    ],
    [
      'the lookup',
      { entry: 'b', steps: { b: { type: 'branch', branches: [{ when: { lead: { field: 'score', op: 'gt', value: 1 } }, next: null }] } } },
      [],
      { kind: 'lookup', stepId: 'b', conditions: [{ field: 'score', op: 'gt', value: 1 }] },
    ],
  ])('re-issues %s the lead awaits on unpause', (_label, flow, before, command) => {
    const paused = feed(flow, start(flow).state, [...before, { kind: 'pause' } as FlowInput].map((input) => [input, T0]));
    const { state, commands } = run(flow, paused.state, { kind: 'unpause' }, T0 + DAY);
    expect(commands).toEqual([command]);
    expect(state.paused).toBe(false);
  });

  it('lets a timer run out during the pause: the lead moves on and its action is issued, still paused', () => {
    const paused = feed(NURTURE, start(NURTURE).state, [
      [{ kind: 'action_completed', stepId: 'welcome' }, T0],
      [{ kind: 'pause' }, T0 + HOUR],
    ]).state;
    const { state, commands } = run(NURTURE, paused, { kind: 'timer_fired', stepId: 'pause' }, T0 + 3 * DAY);
    expect(commands).toEqual([{ kind: 'run_action', stepId: 'followUp', step: NURTURE.steps.followUp }]);
    expect(state).toMatchObject({ paused: true, currentStepId: 'followUp', awaiting: { kind: 'action', stepId: 'followUp' } });
  });
});

describe('advance: resume after continue-as-new', () => {
  it('re-issues what the lead awaited, from a state that went through JSON, with the original timer end', () => {
    const before = run(NURTURE, start(NURTURE).state, { kind: 'action_completed', stepId: 'welcome' }, T0 + HOUR).state;
    const carried: FlowState = JSON.parse(JSON.stringify(before));
    const { state, commands } = run(NURTURE, carried, { kind: 'resume' }, T0 + 2 * DAY);
    expect(commands).toEqual([{ kind: 'wait_until', stepId: 'pause', until: T0 + HOUR + 3 * DAY }]);
    expect(state).toEqual(before);
    expect(run(NURTURE, state, { kind: 'timer_fired', stepId: 'pause' }, T0 + HOUR + 3 * DAY).commands).toEqual([
      { kind: 'run_action', stepId: 'followUp', step: NURTURE.steps.followUp },
    ]);
  });

  it('keeps the events of the previous run: a later wait_for_event counts them', () => {
    const flow: FlowDefinition = {
      entry: 'hold',
      steps: {
        hold: { type: 'wait', duration: '1d', next: 'awaitOpen' },
        awaitOpen: { type: 'wait_for_event', event: 'opened', timeout: '2d', next: 'deeper' },
        deeper: send(FOLLOW_UP_TEMPLATE),
      },
    };
    const before = run(flow, start(flow).state, { kind: 'event', event: event('opened') }).state;
    const resumed = run(flow, JSON.parse(JSON.stringify(before)), { kind: 'resume' }, T0 + HOUR).state;
    expect(run(flow, resumed, { kind: 'timer_fired', stepId: 'hold' }, T0 + DAY).commands).toEqual([
      { kind: 'run_action', stepId: 'deeper', step: flow.steps.deeper },
    ]);
  });
});

describe('advance: ended flows and safety', () => {
  const every: FlowInput[] = [
    { kind: 'start' },
    { kind: 'resume' },
    { kind: 'action_completed', stepId: 'welcome' },
    { kind: 'action_failed', stepId: 'welcome', reason: 'x' },
    { kind: 'timer_fired', stepId: 'pause' },
    { kind: 'lookup_result', stepId: 'welcome', results: [true] },
    { kind: 'event', event: event('clicked') },
    { kind: 'exit', reason: 'erased' },
    { kind: 'pause' },
    { kind: 'unpause' },
  ];

  it.each(every)('does nothing with a $kind input once the path has ended', (input) => {
    const ended = run(NURTURE, start(NURTURE).state, { kind: 'exit', reason: 'unsubscribed' }).state;
    expect(run(NURTURE, ended, input, T0 + DAY)).toEqual({ state: ended, commands: [] });
  });

  it('never changes the state it is given', () => {
    let state = initialFlowState('lead-1');
    let now = T0;
    const inputs: FlowInput[] = [
      { kind: 'start' },
      { kind: 'event', event: event('opened') },
      { kind: 'pause' },
      { kind: 'unpause' },
      { kind: 'action_completed', stepId: 'welcome' },
      { kind: 'resume' },
      { kind: 'timer_fired', stepId: 'pause' },
      { kind: 'exit', reason: 'erased' },
    ];
    for (const input of inputs) {
      const frozen = deepFreeze(state);
      const before = JSON.stringify(frozen);
      const result = run(NURTURE, frozen, input, now);
      expect(JSON.stringify(frozen)).toBe(before);
      state = result.state;
      now += DAY;
    }
    expect(state.status).toBe('exited');
  });

  it('exits with unknown_step when a flow points at a step it does not have', () => {
    const broken: FlowDefinition = { entry: 'welcome', steps: { welcome: send(WELCOME_TEMPLATE, 'ghost') } };
    const { state, commands } = run(broken, start(broken).state, { kind: 'action_completed', stepId: 'welcome' });
    expect(commands).toEqual([{ kind: 'complete', status: 'exited', reason: 'unknown_step:ghost' }]);
    expect(state.status).toBe('exited');
  });

  it('exits with unknown_step when a step\'s type is not registered, or the step is named like an object property', () => {
    expect(start({ entry: 'sms', steps: { sms: { type: 'send_sms' } } }).commands).toEqual([
      { kind: 'complete', status: 'exited', reason: 'unknown_step:sms' },
    ]);
    expect(start({ entry: 'constructor', steps: {} }).commands).toEqual([{ kind: 'complete', status: 'exited', reason: 'unknown_step:constructor' }]);
  });

  it('stops a loop of steps that never wait instead of spinning forever', () => {
    const spinning: FlowDefinition = {
      entry: 'again',
      steps: { again: { type: 'branch', branches: [{ when: { not: { event: { type: 'opened' } } }, next: 'again' }] } },
    };
    const { state, commands } = start(spinning);
    expect(commands).toEqual([{ kind: 'complete', status: 'exited', reason: 'too_many_steps' }]);
    expect(state.path.length).toBeLessThanOrEqual(1_000);
  });
});

describe('statesToCarry', () => {
  const long = (): FlowState => {
    let state = start(NURTURE).state;
    for (let i = 0; i < 40; i++) state = run(NURTURE, state, { kind: 'event', event: event('clicked', { stepId: 'welcome', url: `https://example.com/${i}` }) }).state;
    return { ...state, path: Array.from({ length: MAX_PATH }, (_, i) => ({ stepId: `s${i}`, enteredAt: new Date(T0 + i).toISOString() })) };
  };

  it('hands small states on as they are', () => {
    const states = { a: start(NURTURE).state, b: start(NURTURE).state };
    expect(statesToCarry(states)).toBe(states);
  });

  it('keeps every journey\'s position but only its latest steps and events when the cohort\'s states outgrow the budget', () => {
    const states = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`e${i}`, long()]));
    const size = JSON.stringify(states).length;
    const carried = statesToCarry(states, size - 1);
    expect(JSON.stringify(carried).length).toBeLessThan(size / 5);
    for (const [id, state] of Object.entries(carried)) {
      expect(state).toMatchObject({ status: states[id].status, currentStepId: states[id].currentStepId, awaiting: states[id].awaiting, paused: false });
      expect(state.path).toEqual(states[id].path.slice(-COMPACT_KEEP));
      expect(state.events).toEqual(states[id].events.slice(-COMPACT_KEEP));
    }
  });
});
