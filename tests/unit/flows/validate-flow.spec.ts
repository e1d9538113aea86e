import { FlowProblem, StepRegistry, validateFlow } from '@ce/flows';
import { ACTION_STEP_TYPES } from '@activities/step-types';

const registry = new StepRegistry(ACTION_STEP_TYPES);

const WELCOME_TEMPLATE = '3f1c2b9e-8a4d-4c7e-9b2a-1d5e6f7a8b9c';
const FOLLOW_UP_TEMPLATE = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';

/** A valid three-step nurture flow: welcome email, wait three days, follow-up email. */
function nurtureFlow() {
  return {
    entry: 'welcome',
    steps: {
      welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE, next: 'pause' },
      pause: { type: 'wait', duration: '3d', next: 'followUp' },
      followUp: { type: 'send_email', templateId: FOLLOW_UP_TEMPLATE },
    },
  };
}

function problemAt(problems: FlowProblem[], path: string): FlowProblem | undefined {
  return problems.find((p) => p.path === path);
}

describe('validateFlow', () => {
  it('accepts a well-formed flow with no problems', () => {
    expect(validateFlow(nurtureFlow(), registry).problems).toEqual([]);
  });

  it('returns the templates a flow refers to with absolute paths', () => {
    const { references } = validateFlow(nurtureFlow(), registry);
    expect(references).toEqual(
      expect.arrayContaining([
        { kind: 'template', id: WELCOME_TEMPLATE, path: 'steps.welcome.templateId' },
        { kind: 'template', id: FOLLOW_UP_TEMPLATE, path: 'steps.followUp.templateId' },
      ]),
    );
    expect(references).toHaveLength(2);
  });

  it.each([
    ['null', null],
    ['a string', 'welcome'],
    ['a number', 42],
    ['an array', [{ type: 'exit' }]],
  ])('rejects %s as a flow at the root path', (_label, input) => {
    expect(validateFlow(input, registry)).toEqual({
      problems: [{ path: '', message: 'must be an object with entry and steps' }],
      references: [],
    });
  });

  it('reports a missing entry', () => {
    const { entry: _entry, ...withoutEntry } = nurtureFlow();
    const problem = problemAt(validateFlow(withoutEntry, registry).problems, 'entry');
    expect(problem?.message).toBe('must name the first step');
  });

  it('reports an entry that names no step', () => {
    const flow = { ...nurtureFlow(), entry: 'nowhere' };
    const problem = problemAt(validateFlow(flow, registry).problems, 'entry');
    expect(problem?.message).toMatch(/"nowhere".*does not exist/);
  });

  it.each([
    ['an empty object', {}],
    ['missing', undefined],
    ['an array', [{ type: 'exit' }]],
  ])('reports steps that are %s', (_label, steps) => {
    const { problems } = validateFlow({ entry: 'welcome', steps }, registry);
    expect(problemAt(problems, 'steps')?.message).toBe('must be an object with at least one step');
  });

  it('reports an unknown step type and lists the known types', () => {
    const flow = { entry: 'welcome', steps: { welcome: { type: 'send_sms', next: null } } };
    const problem = problemAt(validateFlow(flow, registry).problems, 'steps.welcome.type');
    expect(problem?.message).toContain('unknown step type "send_sms"');
    expect(problem?.message).toContain('known types: exit, send_email, wait');
  });

  it('reports a step without a type', () => {
    const flow = { entry: 'welcome', steps: { welcome: { templateId: WELCOME_TEMPLATE } } };
    expect(problemAt(validateFlow(flow, registry).problems, 'steps.welcome.type')?.message).toBe('must name a step type');
  });

  it.each(['1st', '_hidden', 'has space', 'dots.in.id', 'x'.repeat(65)])('reports the bad step id %p', (id) => {
    const flow = { entry: id, steps: { [id]: { type: 'exit' } } };
    const problem = problemAt(validateFlow(flow, registry).problems, `steps.${id}`);
    expect(problem?.message).toMatch(/step ids start with a letter/);
  });

  it('accepts step ids with letters, digits, dashes and underscores up to 64 characters', () => {
    const id = `a${'b'.repeat(60)}-_9`;
    expect(id).toHaveLength(64);
    expect(validateFlow({ entry: id, steps: { [id]: { type: 'exit' } } }, registry).problems).toEqual([]);
  });

  it('reports a next that is neither a step id nor null', () => {
    const flow = nurtureFlow();
    (flow.steps.welcome as Record<string, unknown>).next = 7;
    const problem = problemAt(validateFlow(flow, registry).problems, 'steps.welcome.next');
    expect(problem?.message).toBe('must be a step id or null');
  });

  it('reports a next that names a step that does not exist', () => {
    const flow = nurtureFlow();
    flow.steps.pause.next = 'gone';
    const problem = problemAt(validateFlow(flow, registry).problems, 'steps.pause.next');
    expect(problem?.message).toMatch(/"gone".*does not exist/);
  });

  it('reports a step that cannot be reached from the entry', () => {
    const flow = {
      entry: 'welcome',
      steps: {
        welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE },
        orphan: { type: 'exit' },
      },
    };
    const { problems } = validateFlow(flow, registry);
    expect(problems).toEqual([{ path: 'steps.orphan', message: 'is not reachable from the entry step' }]);
  });

  it('rejects a loop without a wait and names the steps in the loop', () => {
    const flow = {
      entry: 'welcome',
      steps: {
        welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE, next: 'nudge' },
        nudge: { type: 'send_email', templateId: FOLLOW_UP_TEMPLATE, next: 'welcome' },
      },
    };
    const { problems } = validateFlow(flow, registry);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^loop without a wait: /);
    expect(problems[0].message).toContain('welcome → nudge → welcome');
  });

  it('rejects a step that leads back to itself', () => {
    const flow = { entry: 'spam', steps: { spam: { type: 'send_email', templateId: WELCOME_TEMPLATE, next: 'spam' } } };
    const { problems } = validateFlow(flow, registry);
    expect(problems).toEqual([{ path: 'steps.spam', message: 'loop without a wait: spam → spam' }]);
  });

  it('accepts a loop that passes through a wait', () => {
    const flow = {
      entry: 'welcome',
      steps: {
        welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE, next: 'pause' },
        pause: { type: 'wait', duration: '1w', next: 'welcome' },
      },
    };
    expect(validateFlow(flow, registry).problems).toEqual([]);
  });

  it.each([undefined, 'not-a-uuid', 42, `${WELCOME_TEMPLATE}x`])('requires a send_email templateId to be a UUID, not %p', (templateId) => {
    const flow = nurtureFlow();
    (flow.steps.welcome as Record<string, unknown>).templateId = templateId;
    const { problems, references } = validateFlow(flow, registry);
    expect(problemAt(problems, 'steps.welcome.templateId')?.message).toBe('must be the id (UUID) of a template');
    expect(references.map((r) => r.path)).toEqual(['steps.followUp.templateId']);
  });

  it.each([undefined, '', 'soon', '0d', 3])('requires a wait to have a positive duration, not %p', (duration) => {
    const flow = nurtureFlow();
    (flow.steps.pause as Record<string, unknown>).duration = duration;
    const problem = problemAt(validateFlow(flow, registry).problems, 'steps.pause.duration');
    expect(problem?.message).toMatch(/positive duration/);
  });

  it('rejects an exit step that has a next step', () => {
    const flow = {
      entry: 'done',
      steps: {
        done: { type: 'exit', next: 'after' },
        after: { type: 'exit' },
      },
    };
    const problem = problemAt(validateFlow(flow, registry).problems, 'steps.done.next');
    expect(problem?.message).toBe('an exit step has no next step');
  });

  it('accepts an exit step whose next is null', () => {
    expect(validateFlow({ entry: 'done', steps: { done: { type: 'exit', next: null } } }, registry).problems).toEqual([]);
  });

  it('reports every bad step at once rather than stopping at the first', () => {
    const flow = {
      entry: 'welcome',
      steps: {
        welcome: { type: 'send_email', templateId: 'nope', next: 'pause' },
        pause: { type: 'wait', duration: 'forever', next: 'missing' },
      },
    };
    const paths = validateFlow(flow, registry).problems.map((p) => p.path).sort();
    expect(paths).toEqual(['steps.pause.duration', 'steps.pause.next', 'steps.welcome.templateId']);
  });
});

describe('validateFlow with step names every object has', () => {
  it.each(['toString', 'constructor', 'hasOwnProperty'])('treats a next step named %s as missing', (name) => {
    const flow = { entry: 'welcome', steps: { welcome: { type: 'send_email', templateId: WELCOME_TEMPLATE, next: name } } };
    expect(problemAt(validateFlow(flow, registry).problems, 'steps.welcome.next')?.message).toBe(
      `refers to step "${name}", which does not exist`,
    );
  });

  it('treats an entry named constructor as missing', () => {
    const flow = { entry: 'constructor', steps: { welcome: { type: 'exit' } } };
    expect(problemAt(validateFlow(flow, registry).problems, 'entry')?.message).toContain('does not exist');
  });
});
