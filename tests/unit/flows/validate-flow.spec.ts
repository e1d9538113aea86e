import { FlowProblem, validateFlow } from '@ce/flows';
import { FOLLOW_UP_TEMPLATE, registry, WELCOME_TEMPLATE } from './flow-kit';

const SEGMENT = '9B2F3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D';
const HIGH_SCORE = { field: 'score', op: 'gte', value: 50 };

/** A valid three-step nurture flow: welcome email, wait three days, follow-up email. */
function nurtureFlow() {
  return {
    entry: 'welcome',
    steps: {
      welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE, next: 'pause' } as Record<string, unknown>,
      pause: { type: 'wait', duration: '3d', next: 'followUp' } as Record<string, unknown>,
      followUp: { type: 'send_email', templateId: FOLLOW_UP_TEMPLATE } as Record<string, unknown>,
    },
  };
}

const problemsOf = (flow: unknown) => validateFlow(flow, registry).problems;
const problemAt = (problems: FlowProblem[], path: string) => problems.find((p) => p.path === path);
const send = (next: string | null = null) => ({ type: 'send_email', templateId: WELCOME_TEMPLATE, next });

describe('validateFlow: shape', () => {
  it('accepts a well-formed flow with no problems', () => {
    expect(problemsOf(nurtureFlow())).toEqual([]);
  });

  it('accepts a flow that uses every control step type', () => {
    const flow = {
      entry: 'welcome',
      steps: {
        welcome: send('awaitOpen'),
        awaitOpen: { type: 'wait_for_event', event: 'opened', step: 'welcome', timeout: '3d', next: 'qualify', timeoutNext: 'office' },
        office: { type: 'wait_until', window: { from: '09:00', to: '17:00' }, days: ['mon', 'tue'], next: 'ab' },
        ab: { type: 'split', variants: [{ percent: 50, next: 'qualify' }, { percent: 50, next: 'done' }] },
        qualify: { type: 'branch', branches: [{ when: { lead: HIGH_SCORE }, next: 'done' }], otherwise: null },
        done: { type: 'exit', reason: 'finished' },
      },
      exitRules: [{ on: 'conversion' }],
      reenrollment: { policy: 'after', days: 30 },
    };
    expect(problemsOf(flow)).toEqual([]);
  });

  it.each([
    ['null', null],
    ['a string', 'welcome'],
    ['a number', 42],
    ['an array', [{ type: 'exit' }]],
  ])('rejects %s as a flow at the root path', (_label, input) => {
    expect(validateFlow(input, registry)).toEqual({ problems: [{ path: '', message: 'must be an object with entry and steps' }], references: [] });
  });

  it('reports keys that are not part of a flow definition', () => {
    expect(problemsOf({ ...nurtureFlow(), version: 2, exit_rules: [] })).toEqual([
      { path: 'version', message: 'is not part of a flow definition' },
      { path: 'exit_rules', message: 'is not part of a flow definition' },
    ]);
  });

  it("reports an action step's settings that its schema does not list, once", () => {
    const flow = nurtureFlow();
    flow.steps.welcome.templateID = 'typo';
    flow.steps.pause.minutes = 5;
    expect(problemsOf(flow)).toEqual([
      { path: 'steps.welcome.templateID', message: 'is not a setting of send_email steps' },
      { path: 'steps.pause.minutes', message: 'is not a setting of wait steps' },
    ]);
  });

  it('reports a missing entry, and an entry that names no step', () => {
    const { entry: _entry, ...withoutEntry } = nurtureFlow();
    expect(problemAt(problemsOf(withoutEntry), 'entry')?.message).toBe('must name the first step');
    expect(problemAt(problemsOf({ ...nurtureFlow(), entry: 'nowhere' }), 'entry')?.message).toBe('refers to step "nowhere", which does not exist');
  });

  it.each([
    ['an empty object', {}],
    ['missing', undefined],
    ['an array', [{ type: 'exit' }]],
  ])('reports steps that are %s', (_label, steps) => {
    expect(problemAt(problemsOf({ entry: 'welcome', steps }), 'steps')?.message).toBe('must be an object with at least one step');
  });

  it('reports more than 500 steps', () => {
    const steps: Record<string, unknown> = {};
    for (let i = 0; i < 501; i++) steps[`s${i}`] = { type: 'wait', duration: '1d', next: i < 500 ? `s${i + 1}` : null };
    expect(problemAt(problemsOf({ entry: 's0', steps }), 'steps')?.message).toBe('must have at most 500 steps');
  });

  it('reports an unknown step type and lists the known ones', () => {
    const problem = problemAt(problemsOf({ entry: 'welcome', steps: { welcome: { type: 'send_sms', next: null } } }), 'steps.welcome.type');
    expect(problem?.message).toContain('unknown step type "send_sms"; known types: ');
    for (const type of ['branch', 'exit', 'send_email', 'split', 'wait', 'wait_for_event', 'wait_until']) expect(problem?.message).toContain(type);
  });

  it('reports a step without a type, or that is not an object', () => {
    const problems = problemsOf({ entry: 'welcome', steps: { welcome: { templateId: WELCOME_TEMPLATE }, other: 'exit' } });
    expect(problems).toEqual([
      { path: 'steps.welcome.type', message: 'must name a step type' },
      { path: 'steps.other.type', message: 'must name a step type' },
    ]);
  });

  it.each(['1st', '_hidden', 'has space', 'dots.in.id', 'x'.repeat(65)])('reports the bad step id %p', (id) => {
    const problem = problemAt(problemsOf({ entry: id, steps: { [id]: { type: 'exit' } } }), `steps.${id}`);
    expect(problem?.message).toMatch(/^step ids start with a letter/);
  });

  it('accepts step ids with letters, digits, dashes and underscores up to 64 characters', () => {
    const id = `a${'b'.repeat(60)}-_9`;
    expect(problemsOf({ entry: id, steps: { [id]: { type: 'exit' } } })).toEqual([]);
  });

  it('reports each step\'s own problems under the step, and all of them at once', () => {
    const flow = {
      entry: 'welcome',
      steps: {
        welcome: { type: 'send_email', templateId: 'nope', next: 'pause' },
        pause: { type: 'wait', duration: 'forever', next: 7, colour: 'red' },
        ab: { type: 'split', variants: [{ percent: 70, next: null }, { percent: 20, next: null }] },
      },
    };
    expect(problemsOf(flow)).toEqual([
      { path: 'steps.welcome.templateId', message: 'must be the id (UUID) of a template' },
      { path: 'steps.pause.next', message: 'must be a step id or null' },
      { path: 'steps.pause.colour', message: 'is not a setting of wait steps' },
      { path: 'steps.pause.duration', message: 'must be a positive duration such as "3d", "12h" or "P1W"' },
      { path: 'steps.ab.variants', message: 'percentages add up to 90, not 100' },
    ]);
  });
});

describe('validateFlow: graph', () => {
  it('reports a next that names a step that does not exist', () => {
    const flow = nurtureFlow();
    flow.steps.pause.next = 'gone';
    expect(problemAt(problemsOf(flow), 'steps.pause.next')?.message).toBe('refers to step "gone", which does not exist');
  });

  it.each([
    ['a branch', { type: 'branch', branches: [{ when: { lead: HIGH_SCORE }, next: 'gone' }], otherwise: null }],
    ['a branch\'s otherwise', { type: 'branch', branches: [{ when: { lead: HIGH_SCORE }, next: null }], otherwise: 'gone' }],
    ['a split', { type: 'split', variants: [{ percent: 50, next: 'gone' }, { percent: 50, next: null }] }],
    ['a wait_for_event timeout path', { type: 'wait_for_event', event: 'opened', timeout: '1d', next: null, timeoutNext: 'gone' }],
  ])('reports a missing step that %s leads to, under that step', (_label, step) => {
    const problems = problemsOf({ entry: 'choose', steps: { choose: step } });
    expect(problems).toHaveLength(1);
    expect(problems[0].path.startsWith('steps.choose.')).toBe(true);
    expect(problems[0].message).toBe('refers to step "gone", which does not exist');
  });

  it('reports steps mentioned by wait_for_event and by branch event conditions that do not exist', () => {
    const flow = {
      entry: 'awaitOpen',
      steps: {
        awaitOpen: { type: 'wait_for_event', event: 'opened', step: 'welcom', timeout: '1d', next: 'choose' },
        choose: {
          type: 'branch',
          branches: [{ when: { any: [{ lead: HIGH_SCORE }, { event: { type: 'clicked', step: 'remindr' } }] }, next: null }],
        },
      },
    };
    expect(problemsOf(flow)).toEqual([
      { path: 'steps.awaitOpen.step', message: 'refers to step "welcom", which does not exist' },
      { path: 'steps.choose.branches[0].when.any[1].event.step', message: 'refers to step "remindr", which does not exist' },
    ]);
  });

  it('reports a step that cannot be reached from the entry', () => {
    const flow = { entry: 'welcome', steps: { welcome: send(), orphan: { type: 'exit' } } };
    expect(problemsOf(flow)).toEqual([{ path: 'steps.orphan', message: 'is not reachable from the entry step' }]);
  });

  it('counts steps reached only through a branch, a split or a timeout as reachable', () => {
    const flow = {
      entry: 'choose',
      steps: {
        choose: { type: 'branch', branches: [{ when: { lead: HIGH_SCORE }, next: 'ab' }], otherwise: 'awaitOpen' },
        ab: { type: 'split', variants: [{ percent: 50, next: 'a' }, { percent: 50, next: null }] },
        a: send(),
        awaitOpen: { type: 'wait_for_event', event: 'opened', timeout: '1d', next: null, timeoutNext: 'late' },
        late: send(),
      },
    };
    expect(problemsOf(flow)).toEqual([]);
  });

  it('rejects a loop without a wait and names the steps in the loop', () => {
    const flow = { entry: 'welcome', steps: { welcome: send('nudge'), nudge: { type: 'send_email', templateId: FOLLOW_UP_TEMPLATE, next: 'welcome' } } };
    expect(problemsOf(flow)).toEqual([{ path: 'steps.welcome', message: 'loop without a wait: welcome → nudge → welcome' }]);
  });

  it('rejects a step that leads back to itself', () => {
    expect(problemsOf({ entry: 'spam', steps: { spam: send('spam') } })).toEqual([{ path: 'steps.spam', message: 'loop without a wait: spam → spam' }]);
  });

  it('accepts a loop that passes through a wait', () => {
    const flow = { entry: 'welcome', steps: { welcome: send('pause'), pause: { type: 'wait', duration: '1w', next: 'welcome' } } };
    expect(problemsOf(flow)).toEqual([]);
  });

  it('accepts a loop through a wait_for_event\'s timeout path', () => {
    const flow = {
      entry: 'remind',
      steps: {
        remind: send('awaitClick'),
        awaitClick: { type: 'wait_for_event', event: 'clicked', timeout: '3d', next: 'thanks', timeoutNext: 'remind' },
        thanks: send(),
      },
    };
    expect(problemsOf(flow)).toEqual([]);
  });

  it('rejects a loop through a wait_for_event\'s event path, which passes at once when the event already happened', () => {
    const flow = {
      entry: 'remind',
      steps: {
        remind: send('awaitClick'),
        awaitClick: { type: 'wait_for_event', event: 'clicked', timeout: '3d', next: 'remind', timeoutNext: null },
      },
    };
    expect(problemsOf(flow)).toEqual([{ path: 'steps.remind', message: 'loop without a wait: remind → awaitClick → remind' }]);
  });

  it('rejects a loop through a wait_for_event whose event path and timeout path are the same step', () => {
    // Once the lead has clicked, every pass through awaitClick goes straight on to remind.
    const flow = {
      entry: 'remind',
      steps: {
        remind: send('awaitClick'),
        awaitClick: { type: 'wait_for_event', event: 'clicked', timeout: '3d', next: 'remind', timeoutNext: 'remind' },
      },
    };
    expect(problemsOf(flow)).toEqual([{ path: 'steps.remind', message: 'loop without a wait: remind → awaitClick → remind' }]);
  });

  it('rejects a loop through wait_until, which passes at once inside its window', () => {
    const flow = {
      entry: 'remind',
      steps: { remind: send('office'), office: { type: 'wait_until', window: { from: '09:00', to: '17:00' }, next: 'remind' } },
    };
    expect(problemsOf(flow)).toEqual([{ path: 'steps.remind', message: 'loop without a wait: remind → office → remind' }]);
  });

  it('rejects loops through branches and splits that never wait', () => {
    const flow = {
      entry: 'choose',
      steps: {
        choose: { type: 'branch', branches: [{ when: { lead: HIGH_SCORE }, next: 'ab' }], otherwise: null },
        ab: { type: 'split', variants: [{ percent: 50, next: 'choose' }, { percent: 50, next: null }] },
      },
    };
    expect(problemsOf(flow)).toEqual([{ path: 'steps.choose', message: 'loop without a wait: choose → ab → choose' }]);
  });
});

describe('validateFlow: exit rules and re-enrollment', () => {
  it('accepts conversion, unsubscribe and segment rules, and lists the segments as references', () => {
    const flow = {
      ...nurtureFlow(),
      exitRules: [{ on: 'conversion' }, { on: 'unsubscribe' }, { on: 'segment_entered', segmentId: SEGMENT }, { on: 'segment_left', segmentId: SEGMENT }],
    };
    const { problems, references } = validateFlow(flow, registry);
    expect(problems).toEqual([]);
    expect(references.filter((r) => r.kind === 'segment')).toEqual([
      { kind: 'segment', id: SEGMENT.toLowerCase(), path: 'exitRules[2].segmentId' },
      { kind: 'segment', id: SEGMENT.toLowerCase(), path: 'exitRules[3].segmentId' },
    ]);
  });

  const ON = 'must be one of conversion, unsubscribe, segment_entered, segment_left';
  it.each([
    ['not a list', { on: 'conversion' }, 'exitRules', 'must be a list of at most 20 rules'],
    ['more than 20 rules', Array.from({ length: 21 }, () => ({ on: 'conversion' })), 'exitRules', 'must be a list of at most 20 rules'],
    ['an unknown event', [{ on: 'bounce' }], 'exitRules[0].on', ON],
    ['a rule that is not an object', [{ on: 'conversion' }, 'unsubscribe'], 'exitRules[1].on', ON],
    ['a segment rule without a segment', [{ on: 'segment_entered' }], 'exitRules[0].segmentId', 'must be the id (UUID) of a segment'],
    ['a segment rule with a bad segment id', [{ on: 'segment_left', segmentId: 'vip' }], 'exitRules[0].segmentId', 'must be the id (UUID) of a segment'],
    ['a conversion rule with a segment', [{ on: 'conversion', segmentId: SEGMENT }], 'exitRules[0].segmentId', 'a conversion rule takes no segment'],
  ])('reports exit rules with %s', (_label, exitRules, path, message) => {
    expect(problemsOf({ ...nurtureFlow(), exitRules })).toEqual([{ path, message }]);
  });

  it('accepts re-enrollment never, or after 1 to 3650 days', () => {
    for (const reenrollment of [{ policy: 'never' }, { policy: 'after', days: 1 }, { policy: 'after', days: 3650 }])
      expect(problemsOf({ ...nurtureFlow(), reenrollment })).toEqual([]);
  });

  it.each([
    ['an unknown policy', { policy: 'sometimes' }, 'reenrollment.policy', 'must be "never" or "after"'],
    ['a bare string', 'never', 'reenrollment.policy', 'must be "never" or "after"'],
    ['after without days', { policy: 'after' }, 'reenrollment.days', 'must be a whole number of days from 1 to 3650'],
    ['after 0 days', { policy: 'after', days: 0 }, 'reenrollment.days', 'must be a whole number of days from 1 to 3650'],
    ['after 3651 days', { policy: 'after', days: 3651 }, 'reenrollment.days', 'must be a whole number of days from 1 to 3650'],
    ['after 1.5 days', { policy: 'after', days: 1.5 }, 'reenrollment.days', 'must be a whole number of days from 1 to 3650'],
    ['never with days', { policy: 'never', days: 30 }, 'reenrollment.days', 'only an "after" policy takes days'],
  ])('reports re-enrollment with %s', (_label, reenrollment, path, message) => {
    expect(problemsOf({ ...nurtureFlow(), reenrollment })).toEqual([{ path, message }]);
  });
});

describe('validateFlow: references', () => {
  it('lists templates, attributes, lead conditions and segments with absolute paths, for the caller to check', () => {
    const flow = {
      entry: 'welcome',
      steps: {
        welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE, next: 'tag' },
        tag: { type: 'update_lead', set: { attributes: { plan: 'pro' } }, next: 'choose' },
        choose: {
          type: 'branch',
          branches: [
            { when: { lead: HIGH_SCORE }, next: 'followUp' },
            { when: { not: { lead: { inSegment: SEGMENT } } }, next: null },
          ],
        },
        followUp: { type: 'send_email', templateId: FOLLOW_UP_TEMPLATE },
      },
      exitRules: [{ on: 'segment_entered', segmentId: SEGMENT }],
    };
    const { problems, references } = validateFlow(flow, registry);
    expect(problems).toEqual([]);
    expect(references).toEqual([
      { kind: 'segment', id: SEGMENT.toLowerCase(), path: 'exitRules[0].segmentId' },
      { kind: 'template', id: WELCOME_TEMPLATE, path: 'steps.welcome.templateId' },
      { kind: 'attribute', id: 'plan', path: 'steps.tag.set.attributes.plan' },
      { kind: 'condition', condition: HIGH_SCORE, path: 'steps.choose.branches[0].when.lead' },
      { kind: 'condition', condition: { inSegment: SEGMENT }, path: 'steps.choose.branches[1].when.not.lead' },
      { kind: 'template', id: FOLLOW_UP_TEMPLATE, path: 'steps.followUp.templateId' },
    ]);
  });

  it('lists no reference for a template id that is not a UUID, and reports it instead', () => {
    const flow = nurtureFlow();
    flow.steps.welcome.templateId = 'not-a-uuid';
    const { problems, references } = validateFlow(flow, registry);
    expect(problemAt(problems, 'steps.welcome.templateId')?.message).toBe('must be the id (UUID) of a template');
    expect(references.map((r) => r.path)).toEqual(['steps.followUp.templateId']);
  });
});

describe('validateFlow with step names every object has', () => {
  it.each(['toString', 'constructor', 'hasOwnProperty'])('treats a next step named %s as missing', (name) => {
    const flow = { entry: 'welcome', steps: { welcome: send(name) } };
    expect(problemAt(problemsOf(flow), 'steps.welcome.next')?.message).toBe(`refers to step "${name}", which does not exist`);
  });

  it('treats an entry or a mentioned step named constructor as missing', () => {
    expect(problemAt(problemsOf({ entry: 'constructor', steps: { welcome: { type: 'exit' } } }), 'entry')?.message).toContain('does not exist');
    const flow = { entry: 'w', steps: { w: { type: 'wait_for_event', event: 'opened', step: 'constructor', timeout: '1d' } } };
    expect(problemAt(problemsOf(flow), 'steps.w.step')?.message).toBe('refers to step "constructor", which does not exist');
  });
});
