import { FieldProblem, UnprocessableError } from '@ce/errors';

/** The filters of a rate listing match more rates than one answer carries. */
export class TooManyRatesError extends UnprocessableError {
  constructor(limit: number) {
    const problem: FieldProblem = { path: 'from', message: `the filters match more than ${limit.toLocaleString('en')} rates; narrow from and to, or name a currency` };
    super('TOO_MANY_RATES', 'Too many rates match.', [problem]);
  }
}
