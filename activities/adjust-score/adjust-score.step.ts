import { FlowProblem, nextOf, StepTypeDefinition } from '@ce/flows';

export const MAX_POINTS = 1000;
export const MAX_REASON_LENGTH = 200;

/** The settings of an `adjust_score` step, once they have passed `validate`. */
export interface AdjustScoreSettings {
  points: number;
  reason?: string;
}

/** `adjust_score`: adds points to the lead's score, or takes them away. */
export const adjustScoreStep: StepTypeDefinition = {
  type: 'adjust_score',
  kind: 'action',
  activity: 'adjustScore',
  description: 'Adds points to the lead\'s score (or takes them away, with negative points), with a reason sales can read.',
  schema: {
    type: 'object',
    required: ['points'],
    properties: {
      points: { type: 'integer', minimum: -MAX_POINTS, maximum: MAX_POINTS, not: { const: 0 }, description: 'Points to add; negative to subtract.' },
      reason: { type: 'string', maxLength: MAX_REASON_LENGTH, description: 'Why, shown on the lead\'s timeline.' },
      next: { type: ['string', 'null'], description: 'The step after this one.' },
    },
    examples: [{ points: 10, reason: 'Downloaded the guide' }],
  },
  validate(step) {
    const problems: FlowProblem[] = [];
    const { points, reason } = step;
    if (typeof points !== 'number' || !Number.isInteger(points) || points === 0 || Math.abs(points) > MAX_POINTS)
      problems.push({ path: 'points', message: `must be a whole number from -${MAX_POINTS} to ${MAX_POINTS}, not 0` });
    if (reason !== undefined && (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON_LENGTH))
      problems.push({ path: 'reason', message: `must be text of 1 to ${MAX_REASON_LENGTH} characters` });
    return problems;
  },
  successors: nextOf,
  describe(step) {
    const points = Number(step.points);
    const what = points < 0 ? `subtract ${-points} points from` : `add ${points} points to`;
    return `${what} the lead's score${typeof step.reason === 'string' ? ` (${step.reason})` : ''}`;
  },
};
