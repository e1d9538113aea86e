import { AdjustScoreDeps, createAdjustScoreActivities } from './adjust-score.activity';
import { adjustScoreStep } from './adjust-score.step';

const step = (settings: Record<string, unknown>) => ({ type: 'adjust_score', ...settings });

describe('adjust_score settings', () => {
  it('accepts whole points either way, with or without a reason', () => {
    expect(adjustScoreStep.validate(step({ points: 10, reason: 'Downloaded the guide' }))).toEqual([]);
    expect(adjustScoreStep.validate(step({ points: -1000 }))).toEqual([]);
  });

  it.each([0, 1001, -1001, 2.5, '10', null, undefined])('refuses %p points', (points) => {
    expect(adjustScoreStep.validate(step({ points }))).toEqual([{ path: 'points', message: expect.stringContaining('-1000 to 1000, not 0') }]);
  });

  it('refuses a blank or overlong reason', () => {
    expect(adjustScoreStep.validate(step({ points: 5, reason: ' ' }))).toEqual([{ path: 'reason', message: expect.any(String) }]);
    expect(adjustScoreStep.validate(step({ points: 5, reason: 'x'.repeat(201) }))).toEqual([{ path: 'reason', message: expect.any(String) }]);
  });

  it('describes what it adds or takes away', () => {
    expect(adjustScoreStep.describe!(step({ points: 10, reason: 'Downloaded the guide' }))).toBe("add 10 points to the lead's score (Downloaded the guide)");
    expect(adjustScoreStep.describe!(step({ points: -5 }))).toBe("subtract 5 points from the lead's score");
  });

  it('refers to nothing outside the flow and goes on to the next step', () => {
    expect(adjustScoreStep.references).toBeUndefined();
    expect(adjustScoreStep.successors(step({ points: 1, next: 'done' }))).toEqual(['done']);
  });

  it('names the activity its factory builds', () => {
    // The factory only keeps its dependencies until an activity runs, so none are needed here.
    expect(Object.keys(createAdjustScoreActivities({} as AdjustScoreDeps))).toEqual([adjustScoreStep.activity]);
  });
});
