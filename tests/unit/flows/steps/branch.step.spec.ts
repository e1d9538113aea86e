import { FlowStep } from '@ce/flows';
import { controlStep, event, stepContext } from '../flow-kit';

const branch = controlStep('branch');

const HIGH_SCORE = { field: 'score', op: 'gte', value: 50 };
const IN_EUROPE = { field: 'country', op: 'in', value: ['DE', 'FR'] };
const CUSTOMER = { inSegment: '9b2f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' };

function branchStep(branches: unknown[], otherwise: string | null = 'fallback'): FlowStep {
  return { type: 'branch', branches, otherwise };
}

describe('branch step: settings', () => {
  it('accepts lead and event conditions combined with all, any and not', () => {
    const step = branchStep([
      { when: { lead: HIGH_SCORE }, next: 'hot' },
      { when: { all: [{ event: { type: 'opened', step: 'welcome' } }, { not: { lead: IN_EUROPE } }] }, next: 'warm' },
      { when: { any: [{ event: { type: 'clicked', link: 'https://example.com/pricing' } }, { lead: CUSTOMER }] }, next: null },
    ]);
    expect(branch.validate(step)).toEqual([]);
  });

  it.each([[undefined], [[]], [Array.from({ length: 21 }, () => ({ when: { lead: HIGH_SCORE }, next: 'a' }))]])(
    'reports branches that are not 1 to 20 branches (%#)',
    (branches) => {
      expect(branch.validate({ type: 'branch', branches })).toEqual([{ path: 'branches', message: 'must list 1 to 20 branches' }]);
    },
  );

  it('reports a branch that is not an object, and a branch without next, at their index', () => {
    expect(branch.validate(branchStep(['hot', { when: { lead: HIGH_SCORE } }]))).toEqual([
      { path: 'branches[0]', message: 'must be an object with when and next' },
      { path: 'branches[1].next', message: 'must be a step id or null' },
    ]);
  });

  it.each([
    ['no condition', undefined, 'branches[0].when'],
    ['two kinds at once', { lead: HIGH_SCORE, event: { type: 'opened' } }, 'branches[0].when'],
    ['an unknown kind', { field: 'score', op: 'gt', value: 1 }, 'branches[0].when'],
    ['a list', [{ lead: HIGH_SCORE }], 'branches[0].when'],
    ['a nested bad condition', { all: [{ lead: HIGH_SCORE }, { any: [{ nope: 1 }] }] }, 'branches[0].when.all[1].any[0]'],
    ['a bad condition under not', { not: 'opened' }, 'branches[0].when.not'],
  ])('reports %s at the path of the condition', (_label, when, path) => {
    expect(branch.validate(branchStep([{ when, next: 'a' }]))).toEqual([
      { path, message: 'must be an object with exactly one of lead, event, all, any, not' },
    ]);
  });

  it.each([{}, { type: 'Opened' }, { type: '' }, 'opened'])('reports the event condition %p at its type', (condition) => {
    expect(branch.validate(branchStep([{ when: { any: [{ event: condition }] }, next: 'a' }]))).toEqual([
      { path: 'branches[0].when.any[0].event.type', message: 'must be an event type such as opened, clicked or converted' },
    ]);
  });

  it.each(['all', 'any'])('reports an empty or missing list under %s', (kind) => {
    expect(branch.validate(branchStep([{ when: { [kind]: [] }, next: 'a' }]))).toEqual([
      { path: `branches[0].when.${kind}`, message: 'must be a non-empty list of conditions' },
    ]);
    expect(branch.validate(branchStep([{ when: { [kind]: { lead: HIGH_SCORE } }, next: 'a' }]))).toEqual([
      { path: `branches[0].when.${kind}`, message: 'must be a non-empty list of conditions' },
    ]);
  });

  it('reports conditions nested more than eight deep', () => {
    let when: unknown = { lead: HIGH_SCORE };
    for (let i = 0; i < 10; i++) when = { not: when };
    const problems = branch.validate(branchStep([{ when, next: 'a' }]));
    expect(problems).toEqual([{ path: `branches[0].when${'.not'.repeat(9)}`, message: 'conditions nest at most 8 deep' }]);
  });

  it('reports a next on the step itself, a bad otherwise, a bad branch next and unknown settings', () => {
    const step = { type: 'branch', branches: [{ when: { lead: HIGH_SCORE }, next: 4 }], otherwise: ['a'], next: 'b', default: 'c' };
    expect(branch.validate(step)).toEqual([
      { path: 'default', message: 'is not a setting of branch steps' },
      { path: 'next', message: 'a branch continues through its branches and otherwise, not next' },
      { path: 'otherwise', message: 'must be a step id or null' },
      { path: 'branches[0].next', message: 'must be a step id or null' },
    ]);
  });

  it('leads to every branch\'s next and to otherwise', () => {
    const step = branchStep([{ when: { lead: HIGH_SCORE }, next: 'hot' }, { when: { lead: IN_EUROPE }, next: null }]);
    expect(branch.successors(step)).toEqual(['hot', 'fallback']);
    expect(branch.holds).toBeFalsy();
  });

  it('lists its lead conditions as references and its event steps as mentions, with their paths', () => {
    const step = branchStep([
      { when: { lead: HIGH_SCORE }, next: 'hot' },
      { when: { all: [{ event: { type: 'opened', step: 'welcome' } }, { not: { lead: IN_EUROPE } }] }, next: 'warm' },
    ]);
    expect(branch.references!(step)).toEqual([
      { kind: 'condition', condition: HIGH_SCORE, path: 'branches[0].when.lead' },
      { kind: 'condition', condition: IN_EUROPE, path: 'branches[1].when.all[1].not.lead' },
    ]);
    expect(branch.mentions!(step)).toEqual([{ stepId: 'welcome', path: 'branches[1].when.all[0].event.step' }]);
  });
});

describe('branch step: choosing', () => {
  it('asks for one lookup of every lead condition, in the order they are written', () => {
    const step = branchStep([
      { when: { all: [{ lead: HIGH_SCORE }, { event: { type: 'opened' } }] }, next: 'hot' },
      { when: { any: [{ not: { lead: IN_EUROPE } }, { lead: CUSTOMER }] }, next: 'warm' },
    ]);
    expect(branch.enter!(step, stepContext())).toEqual({ kind: 'lookup', conditions: [HIGH_SCORE, IN_EUROPE, CUSTOMER] });
  });

  it('chooses from the enrollment\'s events at once when no condition is about the lead', () => {
    const step = branchStep([{ when: { event: { type: 'opened', step: 'welcome' } }, next: 'engaged' }]);
    expect(branch.enter!(step, stepContext({ events: [event('opened', { stepId: 'welcome' })] }))).toEqual({ kind: 'goto', next: 'engaged' });
    expect(branch.enter!(step, stepContext({ events: [event('opened', { stepId: 'reminder' })] }))).toEqual({ kind: 'goto', next: 'fallback' });
  });

  it('takes the first branch that holds, even when later ones hold too', () => {
    const step = branchStep([
      { when: { lead: HIGH_SCORE }, next: 'first' },
      { when: { lead: IN_EUROPE }, next: 'second' },
    ]);
    expect(branch.onLookup!(step, [true, true], stepContext())).toEqual({ kind: 'goto', next: 'first' });
    expect(branch.onLookup!(step, [false, true], stepContext())).toEqual({ kind: 'goto', next: 'second' });
    expect(branch.onLookup!(step, [false, false], stepContext())).toEqual({ kind: 'goto', next: 'fallback' });
  });

  it('ends the flow when nothing holds and there is no otherwise, or the branch taken has next null', () => {
    const step = branchStep([{ when: { lead: HIGH_SCORE }, next: null }], null);
    expect(branch.onLookup!(step, [false], stepContext())).toEqual({ kind: 'goto', next: null });
    expect(branch.onLookup!(step, [true], stepContext())).toEqual({ kind: 'goto', next: null });
  });

  it('keeps answers aligned with their conditions when an earlier event condition fails', () => {
    // Had the first branch stopped at its failing event condition, HIGH_SCORE's `true` would
    // be read as the answer to IN_EUROPE and the lead sent to `europe`.
    const step = branchStep([
      { when: { all: [{ event: { type: 'opened' } }, { lead: HIGH_SCORE }] }, next: 'engaged' },
      { when: { lead: IN_EUROPE }, next: 'europe' },
    ]);
    expect(branch.onLookup!(step, [true, false], stepContext())).toEqual({ kind: 'goto', next: 'fallback' });
    expect(branch.onLookup!(step, [true, false], stepContext({ events: [event('opened')] }))).toEqual({ kind: 'goto', next: 'engaged' });
    expect(branch.onLookup!(step, [false, true], stepContext({ events: [event('opened')] }))).toEqual({ kind: 'goto', next: 'europe' });
  });

  it.each([
    // [opened?, HIGH_SCORE, IN_EUROPE, CUSTOMER] → where the lead goes
    [true, true, false, false, 'hot'],
    [false, true, true, false, 'fallback'],
    [false, true, false, false, 'warm'],
    [false, false, true, true, 'warm'],
    [true, false, true, false, 'fallback'],
  ])('combines all, any and not: opened %p, answers %p %p %p → %p', (opened, score, europe, customer, next) => {
    const step = branchStep([
      { when: { all: [{ lead: HIGH_SCORE }, { event: { type: 'opened' } }] }, next: 'hot' },
      { when: { any: [{ not: { lead: IN_EUROPE } }, { lead: CUSTOMER }] }, next: 'warm' },
    ]);
    // "hot" needs a high score and an open; "warm" needs the lead outside Europe, or a customer.
    const context = stepContext({ events: opened ? [event('opened')] : [] });
    expect(branch.onLookup!(step, [score, europe, customer], context)).toEqual({ kind: 'goto', next });
  });

  it('matches event conditions by type, step and link', () => {
    const step = branchStep([{ when: { event: { type: 'clicked', step: 'welcome', link: 'https://example.com/pricing' } }, next: 'buyer' }]);
    const clicked = (extra: object) => stepContext({ events: [event('clicked', extra)] });
    expect(branch.enter!(step, clicked({ stepId: 'welcome', url: 'https://example.com/pricing' }))).toEqual({ kind: 'goto', next: 'buyer' });
    expect(branch.enter!(step, clicked({ stepId: 'welcome', url: 'https://example.com/blog' }))).toEqual({ kind: 'goto', next: 'fallback' });
    expect(branch.enter!(step, clicked({ stepId: 'reminder', url: 'https://example.com/pricing' }))).toEqual({ kind: 'goto', next: 'fallback' });
  });

  it('negates an event condition with not', () => {
    const step = branchStep([{ when: { not: { event: { type: 'opened' } } }, next: 'resend' }], 'continue');
    expect(branch.enter!(step, stepContext())).toEqual({ kind: 'goto', next: 'resend' });
    expect(branch.enter!(step, stepContext({ events: [event('opened')] }))).toEqual({ kind: 'goto', next: 'continue' });
  });
});
