import { advance, FlowDefinition, FlowInput, FlowState, initialFlowState, StepRegistry } from '@ce/flows';
import { ACTION_STEP_TYPES } from '@activities/step-types';

const registry = new StepRegistry(ACTION_STEP_TYPES);

const WELCOME_TEMPLATE = '3f1c2b9e-8a4d-4c7e-9b2a-1d5e6f7a8b9c';
const FOLLOW_UP_TEMPLATE = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
const DAY = 86_400_000;
const T0 = Date.parse('2025-03-01T09:00:00.000Z');

const nurture: FlowDefinition = {
  entry: 'welcome',
  steps: {
    welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE, next: 'pause' },
    pause: { type: 'wait', duration: '3d', next: 'followUp' },
    followUp: { type: 'send_email', templateId: FOLLOW_UP_TEMPLATE },
  },
};

function run(flow: FlowDefinition, state: FlowState, input: FlowInput, now: number) {
  return advance(flow, state, input, now, registry);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('initialFlowState', () => {
  it('is a running state that has not entered any step', () => {
    expect(initialFlowState()).toEqual({ status: 'running', currentStepId: null, awaiting: null, path: [], engagement: [] });
  });
});

describe('advance', () => {
  it('enters the entry step on start and asks to run its action', () => {
    const { state, commands } = run(nurture, initialFlowState(), { kind: 'start' }, T0);
    expect(commands).toEqual([{ kind: 'run_action', stepId: 'welcome', step: nurture.steps.welcome }]);
    expect(state.status).toBe('running');
    expect(state.currentStepId).toBe('welcome');
    expect(state.awaiting).toEqual({ kind: 'action', stepId: 'welcome' });
  });

  it('ignores a second start once the lead is in the flow', () => {
    const started = run(nurture, initialFlowState(), { kind: 'start' }, T0).state;
    const again = run(nurture, started, { kind: 'start' }, T0 + 1_000);
    expect(again.commands).toEqual([]);
    expect(again.state).toEqual(started);
  });

  it('ignores an action completion for a step it is not waiting on', () => {
    const started = run(nurture, initialFlowState(), { kind: 'start' }, T0).state;
    const result = run(nurture, started, { kind: 'action_completed', stepId: 'followUp' }, T0 + 1_000);
    expect(result.commands).toEqual([]);
    expect(result.state).toEqual(started);
  });

  it('moves to the next step when the awaited action completes', () => {
    const started = run(nurture, initialFlowState(), { kind: 'start' }, T0).state;
    const { state, commands } = run(nurture, started, { kind: 'action_completed', stepId: 'welcome' }, T0 + 5_000);
    expect(state.currentStepId).toBe('pause');
    expect(commands).toEqual([{ kind: 'sleep_until', stepId: 'pause', until: T0 + 5_000 + 3 * DAY }]);
  });

  it('sleeps on a wait step until now plus its duration', () => {
    const flow: FlowDefinition = { entry: 'hold', steps: { hold: { type: 'wait', duration: 'PT2H30M', next: null } } };
    const { state, commands } = run(flow, initialFlowState(), { kind: 'start' }, T0);
    const until = T0 + 2.5 * 3_600_000;
    expect(commands).toEqual([{ kind: 'sleep_until', stepId: 'hold', until }]);
    expect(state.awaiting).toEqual({ kind: 'timer', stepId: 'hold', until, next: null });
  });

  it('moves on when the timer of the current wait fires', () => {
    const flow: FlowDefinition = {
      entry: 'hold',
      steps: { hold: { type: 'wait', duration: '1h', next: 'welcome' }, welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE } },
    };
    const waiting = run(flow, initialFlowState(), { kind: 'start' }, T0).state;
    const { state, commands } = run(flow, waiting, { kind: 'timer_fired', stepId: 'hold' }, T0 + 3_600_000);
    expect(state.currentStepId).toBe('welcome');
    expect(commands).toEqual([{ kind: 'run_action', stepId: 'welcome', step: flow.steps.welcome }]);
  });

  it('ignores a timer that fires for another step', () => {
    const flow: FlowDefinition = { entry: 'hold', steps: { hold: { type: 'wait', duration: '1h', next: null } } };
    const waiting = run(flow, initialFlowState(), { kind: 'start' }, T0).state;
    const result = run(flow, waiting, { kind: 'timer_fired', stepId: 'other' }, T0 + 3_600_000);
    expect(result.commands).toEqual([]);
    expect(result.state).toEqual(waiting);
  });

  it('completes with reason flow_finished when the last step has no next', () => {
    const flow: FlowDefinition = { entry: 'only', steps: { only: { type: 'send_email', templateId: WELCOME_TEMPLATE } } };
    const started = run(flow, initialFlowState(), { kind: 'start' }, T0).state;
    const { state, commands } = run(flow, started, { kind: 'action_completed', stepId: 'only' }, T0 + 1_000);
    expect(commands).toEqual([{ kind: 'complete', reason: 'flow_finished' }]);
    expect(state).toMatchObject({ status: 'completed', endReason: 'flow_finished', awaiting: null });
  });

  it('completes when the lead reaches an exit step', () => {
    const flow: FlowDefinition = {
      entry: 'welcome',
      steps: { welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE, next: 'done' }, done: { type: 'exit' } },
    };
    const started = run(flow, initialFlowState(), { kind: 'start' }, T0).state;
    const { state, commands } = run(flow, started, { kind: 'action_completed', stepId: 'welcome' }, T0 + 1_000);
    expect(commands).toEqual([{ kind: 'complete', reason: 'exit_step' }]);
    expect(state).toMatchObject({ status: 'completed', currentStepId: 'done', endReason: 'exit_step', awaiting: null });
  });

  it('ends a running flow as exited when asked to exit, e.g. on conversion', () => {
    const waiting = run(nurture, initialFlowState(), { kind: 'start' }, T0).state;
    const { state, commands } = run(nurture, waiting, { kind: 'exit', reason: 'converted' }, T0 + DAY);
    expect(commands).toEqual([{ kind: 'complete', reason: 'converted' }]);
    expect(state).toMatchObject({ status: 'exited', endReason: 'converted', awaiting: null });
  });

  it('records engagement events without changing where the lead stands', () => {
    const started = run(nurture, initialFlowState(), { kind: 'start' }, T0).state;
    const opened = run(nurture, started, { kind: 'engagement', type: 'open', stepId: 'welcome', occurredAt: '2025-03-01T10:00:00.000Z' }, T0 + 1);
    const clicked = run(nurture, opened.state, { kind: 'engagement', type: 'click', stepId: 'welcome', occurredAt: '2025-03-01T10:05:00.000Z' }, T0 + 2);
    expect(opened.commands).toEqual([]);
    expect(clicked.commands).toEqual([]);
    expect(clicked.state.engagement).toEqual([
      { type: 'open', stepId: 'welcome', occurredAt: '2025-03-01T10:00:00.000Z' },
      { type: 'click', stepId: 'welcome', occurredAt: '2025-03-01T10:05:00.000Z' },
    ]);
    expect(clicked.state.currentStepId).toBe('welcome');
    expect(clicked.state.awaiting).toEqual({ kind: 'action', stepId: 'welcome' });
  });

  it('ends as exited with an unknown_step reason when a flow points at a step it does not have', () => {
    const broken: FlowDefinition = { entry: 'welcome', steps: { welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE, next: 'ghost' } } };
    const started = run(broken, initialFlowState(), { kind: 'start' }, T0).state;
    const { state, commands } = run(broken, started, { kind: 'action_completed', stepId: 'welcome' }, T0 + 1);
    expect(commands).toEqual([{ kind: 'complete', reason: 'unknown_step:ghost' }]);
    expect(state.status).toBe('exited');
  });

  it('never mutates the state it is given', () => {
    const inputs: FlowInput[] = [
      { kind: 'start' },
      { kind: 'engagement', type: 'open', stepId: 'welcome', occurredAt: '2025-03-01T10:00:00.000Z' },
      { kind: 'action_completed', stepId: 'welcome' },
      { kind: 'timer_fired', stepId: 'pause' },
      { kind: 'exit', reason: 'converted' },
    ];
    let state = initialFlowState();
    let now = T0;
    for (const input of inputs) {
      const frozen = deepFreeze(state);
      const before = JSON.stringify(frozen);
      let result: ReturnType<typeof run> | undefined;
      expect(() => {
        result = run(nurture, frozen, input, now);
      }).not.toThrow();
      expect(JSON.stringify(frozen)).toBe(before);
      expect(result!.state).not.toBe(frozen);
      state = result!.state;
      now += DAY;
    }
    expect(state.status).toBe('exited');
  });

  it.each<FlowInput>([
    { kind: 'start' },
    { kind: 'action_completed', stepId: 'welcome' },
    { kind: 'timer_fired', stepId: 'pause' },
    { kind: 'engagement', type: 'click', stepId: 'welcome', occurredAt: '2025-03-05T00:00:00.000Z' },
    { kind: 'exit', reason: 'unsubscribed' },
  ])('does nothing with a $kind input once the flow has ended', (input) => {
    const started = run(nurture, initialFlowState(), { kind: 'start' }, T0).state;
    const ended = run(nurture, started, { kind: 'exit', reason: 'converted' }, T0 + 1).state;
    const result = run(nurture, ended, input, T0 + 2);
    expect(result.commands).toEqual([]);
    expect(result.state).toEqual(ended);
  });

  it('walks a welcome, three-day wait, follow-up flow from start to completion', () => {
    const t1 = T0 + 30_000;
    const t2 = t1 + 3 * DAY;
    const t3 = t2 + 45_000;

    let step = run(nurture, initialFlowState(), { kind: 'start' }, T0);
    expect(step.commands).toEqual([{ kind: 'run_action', stepId: 'welcome', step: nurture.steps.welcome }]);

    step = run(nurture, step.state, { kind: 'action_completed', stepId: 'welcome' }, t1);
    expect(step.commands).toEqual([{ kind: 'sleep_until', stepId: 'pause', until: t1 + 3 * DAY }]);

    // An early timer for the wrong step changes nothing.
    const stray = run(nurture, step.state, { kind: 'timer_fired', stepId: 'welcome' }, t1 + DAY);
    expect(stray.commands).toEqual([]);

    step = run(nurture, step.state, { kind: 'timer_fired', stepId: 'pause' }, t2);
    expect(step.commands).toEqual([{ kind: 'run_action', stepId: 'followUp', step: nurture.steps.followUp }]);
    expect(step.state.awaiting).toEqual({ kind: 'action', stepId: 'followUp' });

    step = run(nurture, step.state, { kind: 'action_completed', stepId: 'followUp' }, t3);
    expect(step.commands).toEqual([{ kind: 'complete', reason: 'flow_finished' }]);
    expect(step.state).toEqual({
      status: 'completed',
      currentStepId: 'followUp',
      awaiting: null,
      endReason: 'flow_finished',
      engagement: [],
      path: [
        { stepId: 'welcome', enteredAt: '2025-03-01T09:00:00.000Z' },
        { stepId: 'pause', enteredAt: '2025-03-01T09:00:30.000Z' },
        { stepId: 'followUp', enteredAt: '2025-03-04T09:00:30.000Z' },
      ],
    });
  });
});
