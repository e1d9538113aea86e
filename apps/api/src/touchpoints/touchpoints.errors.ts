import { FieldProblem, UnprocessableError } from '@ce/errors';
import { capProblems } from '../common/input-checks';

/**
 * A batch (or an identification) that cannot be taken as sent. Every problem is listed with its
 * path, and nothing of the request is stored.
 */
export class TouchpointsInvalidError extends UnprocessableError {
  constructor(problems: FieldProblem[], message = 'Some touchpoints are not valid; nothing was stored. Fix them and send the batch again.') {
    super('TOUCHPOINTS_INVALID', message, capProblems(problems, 'touchpoints'));
  }
}
