import { formatMinor, roi } from '@ce/money';

/** Ratios and attributed conversions are given to 4 decimals. */
export const DECIMALS = 4;
const SCALE = 10n ** BigInt(DECIMALS);

/** A report's sums for one group and model, as exact decimal text from the database. */
export interface RoiSums {
  /** Attributed conversions, rounded to 4 decimals ("1.5000"). */
  conversions: string;
  /** Whole minor units of the reporting currency. */
  revenueMinor: string;
  costMinor: string;
}

export interface RoiFigures {
  conversions: number;
  revenue: string;
  cost: string;
  roi: number | null;
  roas: number | null;
  costPerAcquisition: string | null;
}

/** n / d rounded to a whole number, halves away from zero. d must not be 0. */
export function divideRounded(n: bigint, d: bigint): bigint {
  const quotient = n / d;
  const remainder = n % d;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  if (2n * abs(remainder) >= abs(d)) return quotient + ((n < 0n) !== (d < 0n) ? -1n : 1n);
  return quotient;
}

/** n / d as a number rounded to 4 decimals (halves away from zero); null when d is 0, never ∞. */
export function ratio(n: bigint, d: bigint): number | null {
  if (d === 0n) return null;
  return Number(divideRounded(n * SCALE, d)) / Number(SCALE) || 0;
}

/** Decimal text ("1.5", "-0.25", "3") as an integer scaled by 10^scale; extra decimals are cut. */
export function parseScaled(text: string, scale = DECIMALS): bigint {
  const match = /^(-)?(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole, fraction = ''] = match;
  const value = BigInt(whole + fraction.slice(0, scale).padEnd(scale, '0'));
  return sign ? -value : value;
}

/**
 * The figures of one row from its sums: ROI = (revenue − cost) / cost and ROAS = revenue / cost,
 * both null when the cost is 0; cost per acquisition = cost / conversions (as shown, to 4
 * decimals), null when that is 0, in the reporting currency rounded to its minor unit.
 */
export function roiFigures(sums: RoiSums, currency: string): RoiFigures {
  const revenue = BigInt(sums.revenueMinor);
  const cost = BigInt(sums.costMinor);
  const conversions = parseScaled(sums.conversions);
  return {
    conversions: Number(conversions) / Number(SCALE) || 0,
    revenue: formatMinor(revenue, currency),
    cost: formatMinor(cost, currency),
    roi: roi(revenue, cost),
    roas: ratio(revenue, cost),
    costPerAcquisition: conversions === 0n ? null : formatMinor(divideRounded(cost * SCALE, conversions), currency),
  };
}

/** What a row is about: a campaign (id null for "no campaign"), a channel, or both. */
export interface GroupKey {
  campaignId?: string | null;
  campaignName?: string | null;
  channel?: string;
}

export interface KeyedSums extends RoiSums {
  key: GroupKey;
  model: string;
}

export const ZERO_SUMS: RoiSums = { conversions: '0', revenueMinor: '0', costMinor: '0' };

const keyId = (key: GroupKey) => `${key.campaignId === undefined ? '' : key.campaignId ?? '-'}|${key.channel ?? ''}`;

/**
 * One row per (group, model): a group that has figures under some models gets rows of zeros
 * under the others, so that models can be read side by side.
 */
export function completeGrid(rows: readonly KeyedSums[], models: readonly string[]): KeyedSums[] {
  const keys = new Map<string, GroupKey>();
  const present = new Set<string>();
  for (const row of rows) {
    keys.set(keyId(row.key), row.key);
    present.add(`${keyId(row.key)}#${row.model}`);
  }
  const filled = [...rows];
  for (const [id, key] of keys) for (const model of models) if (!present.has(`${id}#${model}`)) filled.push({ key, model, ...ZERO_SUMS });
  return filled;
}

/**
 * The report's order, the same for every request: campaigns by name (then id; a campaign
 * without a name after those, and "no campaign" last), then channels by name, then the models
 * in the order they were asked for. Names compare by code point, not by locale.
 */
export function compareRows(models: readonly string[]) {
  const order = new Map(models.map((m, i) => [m, i]));
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const campaignRank = (k: GroupKey) => (k.campaignId === null ? 2 : k.campaignName == null ? 1 : 0);
  return (a: { key: GroupKey; model: string }, b: { key: GroupKey; model: string }): number => {
    if (a.key.campaignId !== undefined || b.key.campaignId !== undefined) {
      const rank = campaignRank(a.key) - campaignRank(b.key);
      if (rank !== 0) return rank;
      const name = text(a.key.campaignName ?? '', b.key.campaignName ?? '');
      if (name !== 0) return name;
      const id = text(a.key.campaignId ?? '', b.key.campaignId ?? '');
      if (id !== 0) return id;
    }
    const channel = text(a.key.channel ?? '', b.key.channel ?? '');
    if (channel !== 0) return channel;
    return (order.get(a.model) ?? models.length) - (order.get(b.model) ?? models.length);
  };
}
