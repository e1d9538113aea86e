import { DEFAULT_HELD_OUT_FRACTION, heldOutCount } from './split';
import { countLabels } from './training-rows';

/** The least data a predictive score is fitted from. */
export interface DataMinimums {
  /** Leads with a known outcome, in all. */
  rows: number;
  /** Converted leads, in all. */
  positives: number;
  /** Leads that did not convert, in all. */
  negatives: number;
  /** Converted leads set aside to measure the model. */
  heldOutPositives: number;
  /** Leads that did not convert set aside to measure the model. */
  heldOutNegatives: number;
}

/** The minimums used unless the caller sets others. */
export const DEFAULT_DATA_MINIMUMS: Readonly<DataMinimums> = {
  rows: 50,
  positives: 20,
  negatives: 20,
  heldOutPositives: 5,
  heldOutNegatives: 5,
};

/** Whether there is enough data; when not, the reasons in words a user can read. */
export type DataSufficiency = { sufficient: true } | { sufficient: false; reasons: string[] };

/** The minimums and the held-out share to check against. */
export interface SufficiencyOptions {
  minimums?: Partial<DataMinimums>;
  heldOutFraction?: number;
}

/**
 * Decides whether there are enough leads to fit a predictive score and measure it on a held-out
 * part, e.g. "12 converted leads; at least 20 are needed to fit a predictive score." The held-out
 * part is checked only once the totals are enough, so each reason points at one thing to fix.
 */
export function checkDataSufficiency(rows: readonly { label: 0 | 1 }[], options: SufficiencyOptions = {}): DataSufficiency {
  const min = { ...DEFAULT_DATA_MINIMUMS, ...options.minimums };
  const fraction = options.heldOutFraction ?? DEFAULT_HELD_OUT_FRACTION;
  const { positives, negatives } = countLabels(rows);
  const reasons: string[] = [];
  if (rows.length < min.rows) {
    reasons.push(`${leads(rows.length)} with a known outcome; at least ${min.rows} are needed to fit a predictive score.`);
  }
  if (positives < min.positives) {
    reasons.push(`${leads(positives, 'converted ')}; at least ${min.positives} are needed to fit a predictive score.`);
  }
  if (negatives < min.negatives) {
    reasons.push(`${leads(negatives)} that did not convert; at least ${min.negatives} are needed to fit a predictive score.`);
  }
  if (reasons.length === 0) {
    const heldPositives = heldOutCount(positives, fraction);
    const heldNegatives = heldOutCount(negatives, fraction);
    if (heldPositives < min.heldOutPositives) {
      reasons.push(`Only ${leads(heldPositives, 'converted ')} would be set aside to measure the score; at least ${min.heldOutPositives} are needed.`);
    }
    if (heldNegatives < min.heldOutNegatives) {
      reasons.push(`Only ${leads(heldNegatives)} that did not convert would be set aside to measure the score; at least ${min.heldOutNegatives} are needed.`);
    }
  }
  return reasons.length === 0 ? { sufficient: true } : { sufficient: false, reasons };
}

/** "1 converted lead", "12 converted leads", "0 leads". */
function leads(count: number, adjective = ''): string {
  return `${count} ${adjective}${count === 1 ? 'lead' : 'leads'}`;
}
