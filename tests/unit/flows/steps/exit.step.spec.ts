import { controlStep, stepContext } from '../flow-kit';

const exit = controlStep('exit');

describe('exit step', () => {
  it('accepts no settings, or a reason of lower-case letters, digits and underscores', () => {
    expect(exit.validate({ type: 'exit' })).toEqual([]);
    expect(exit.validate({ type: 'exit', reason: 'not_a_fit_2', next: null })).toEqual([]);
  });

  it.each(['', 'Not a fit', 'has-dash', 'x'.repeat(65), 42])('reports the reason %p at path reason', (reason) => {
    expect(exit.validate({ type: 'exit', reason })).toEqual([
      { path: 'reason', message: 'must be 1 to 64 lower-case letters, digits or underscores' },
    ]);
  });

  it('reports a next step, since the path ends here, and unknown settings', () => {
    expect(exit.validate({ type: 'exit', next: 'after', why: 'x' })).toEqual([
      { path: 'why', message: 'is not a setting of exit steps' },
      { path: 'next', message: 'an exit step has no next step' },
    ]);
  });

  it('leads nowhere', () => {
    expect(exit.successors({ type: 'exit', reason: 'done' })).toEqual([]);
  });

  it('ends the path with its reason, or exit_step when it gives none', () => {
    expect(exit.enter!({ type: 'exit', reason: 'not_a_fit' }, stepContext())).toEqual({ kind: 'end', reason: 'not_a_fit' });
    expect(exit.enter!({ type: 'exit' }, stepContext())).toEqual({ kind: 'end', reason: 'exit_step' });
  });
});
