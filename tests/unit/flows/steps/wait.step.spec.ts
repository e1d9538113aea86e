import { controlStep, DAY, HOUR, stepContext } from '../flow-kit';

const wait = controlStep('wait');

describe('wait step', () => {
  it('accepts a duration in the short or the ISO 8601 form', () => {
    expect(wait.validate({ type: 'wait', duration: '3d', next: 'b' })).toEqual([]);
    expect(wait.validate({ type: 'wait', duration: 'P1W' })).toEqual([]);
  });

  it.each([undefined, '', 'soon', '0d', '-1d', 3])('reports the duration %p at path duration', (duration) => {
    expect(wait.validate({ type: 'wait', duration })).toEqual([
      { path: 'duration', message: 'must be a positive duration such as "3d", "12h" or "P1W"' },
    ]);
  });

  it('reports a setting it does not know at its own path, so a typo is not ignored', () => {
    expect(wait.validate({ type: 'wait', duration: '1d', durration: '2d' })).toEqual([
      { path: 'durration', message: 'is not a setting of wait steps' },
    ]);
  });

  it('accepts a name and a description on any step', () => {
    expect(wait.validate({ type: 'wait', duration: '1d', name: 'Cool off', description: 'Give them a day' })).toEqual([]);
  });

  it('leads to its next step only, and holds the lead so a loop through it is safe', () => {
    expect(wait.successors({ type: 'wait', duration: '1d', next: 'b' })).toEqual(['b']);
    expect(wait.successors({ type: 'wait', duration: '1d', next: null })).toEqual([]);
    expect(wait.holds).toBe(true);
  });

  it('sleeps from the moment of entry for its duration, then goes to next', () => {
    const now = Date.parse('2026-03-02T09:00:00.000Z');
    expect(wait.enter!({ type: 'wait', duration: '1d12h', next: 'b' }, stepContext({ now }))).toEqual({
      kind: 'sleep',
      until: now + DAY + 12 * HOUR,
      next: 'b',
    });
    expect(wait.enter!({ type: 'wait', duration: 'PT2H' }, stepContext({ now }))).toEqual({ kind: 'sleep', until: now + 2 * HOUR, next: null });
  });
});
