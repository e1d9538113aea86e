import { FieldProblem, UnprocessableError } from '@ce/errors';
import { BASE_CURRENCY } from '../currency-rates/rate-input';

/** A currency and the days whose amounts in it cannot be converted for lack of a rate. */
export interface LackingRate {
  currency: string;
  days: string[];
}

const DAYS_LISTED = 20;

/**
 * Some amounts in the range have no rate to convert them into the reporting currency. The report
 * is refused rather than given with a wrong number; each problem names `currency` and lists the
 * days of one currency that lack a rate.
 */
export class RatesMissingError extends UnprocessableError {
  constructor(reportingCurrency: string, lacking: readonly LackingRate[]) {
    super(
      'RATES_MISSING',
      `Some amounts cannot be converted into ${reportingCurrency}: a currency has no rate on or before their day. Add rates with PUT /v1/currency-rates.`,
      lacking.map((l) => describe(l, reportingCurrency)),
    );
  }
}

function describe({ currency, days }: LackingRate, reportingCurrency: string): FieldProblem {
  const listed = days.slice(0, DAYS_LISTED).join(', ');
  const more = days.length > DAYS_LISTED ? ` and ${days.length - DAYS_LISTED} more` : '';
  const count = `${days.length} day${days.length === 1 ? '' : 's'}`;
  const which = currency === reportingCurrency ? `${currency} (the reporting currency)` : currency;
  return {
    path: 'currency',
    message: `no ${which} rate in ${BASE_CURRENCY} on or before ${listed}${more} (${count})`,
  };
}
