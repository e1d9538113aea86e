import { divideRounded, formatMinor, ratio, roi } from '@ce/money';

/** Ratios and attributed conversions are given to 4 decimals. */
const DECIMALS = 4;
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

/**
 * One report row's sums as the report statements give them: text, so that they stay exact;
 * `unpriced` when an amount had no rate (never, after the rate check).
 */
export interface ReportSumsRow {
  conversions: string;
  revenue_minor: string;
  cost_minor: string;
  unpriced: boolean;
  enrolled: string;
  delivered: string;
  opened: string;
  clicked: string;
  engaged: string;
  reached: string;
  new_leads: string;
}

/** Participation counts of one group (and period), as whole-number text from the database. */
export interface ParticipationCounts {
  enrolled: string;
  delivered: string;
  opened: string;
  clicked: string;
  engaged: string;
  reached: string;
  newLeads: string;
}

export interface ParticipationFigures {
  enrolled: number;
  delivered: number;
  opened: number;
  clicked: number;
  engaged: number;
  engagementRate: number | null;
  reached: number;
  leads: number;
  conversionRate: number | null;
  costPerLead: string | null;
}

/** Everything a row is computed from. */
export interface ReportSums extends RoiSums, ParticipationCounts {}

/** The sums of a statement's row, by the names the figures use. */
export function sumsOfRow(row: ReportSumsRow): ReportSums {
  return {
    conversions: row.conversions,
    revenueMinor: row.revenue_minor,
    costMinor: row.cost_minor,
    enrolled: row.enrolled,
    delivered: row.delivered,
    opened: row.opened,
    clicked: row.clicked,
    engaged: row.engaged,
    reached: row.reached,
    newLeads: row.new_leads,
  };
}

/**
 * The participation figures of one row: the counts, engagement rate = engaged / delivered,
 * conversion rate = attributed conversions (as shown, to 4 decimals) / reached, both to 4
 * decimals and null when the denominator is 0; cost per lead = cost / new leads in the reporting
 * currency rounded to its minor unit, null when there are no new leads.
 */
export function participationFigures(sums: ReportSums, currency: string): ParticipationFigures {
  const engaged = BigInt(sums.engaged);
  const delivered = BigInt(sums.delivered);
  const reached = BigInt(sums.reached);
  const leads = BigInt(sums.newLeads);
  return {
    enrolled: Number(sums.enrolled),
    delivered: Number(delivered),
    opened: Number(sums.opened),
    clicked: Number(sums.clicked),
    engaged: Number(engaged),
    engagementRate: ratio(engaged, delivered),
    reached: Number(reached),
    leads: Number(leads),
    conversionRate: ratio(parseScaled(sums.conversions), reached * SCALE),
    costPerLead: leads === 0n ? null : formatMinor(divideRounded(BigInt(sums.costMinor), leads), currency),
  };
}

/** A row's or total's figures from its sums, in the order the JSON and CSV give them. */
export function reportFigures(sums: ReportSums, currency: string): { currency: string } & RoiFigures & ParticipationFigures {
  return { currency, ...roiFigures(sums, currency), ...participationFigures(sums, currency) };
}

/** What a row is about: a campaign (id null for "no campaign"), a channel, or both; none for `groupBy=none`. */
export interface GroupKey {
  campaignId?: string | null;
  campaignName?: string | null;
  channel?: string;
}

export interface KeyedSums extends ReportSums {
  key: GroupKey;
  model: string;
  /** The period's first day, in a time series. */
  period?: string;
}

export const ZERO_SUMS: ReportSums = {
  conversions: '0',
  revenueMinor: '0',
  costMinor: '0',
  enrolled: '0',
  delivered: '0',
  opened: '0',
  clicked: '0',
  engaged: '0',
  reached: '0',
  newLeads: '0',
};

const keyId = (key: GroupKey) => `${key.campaignId === undefined ? '' : key.campaignId ?? '-'}|${key.channel ?? ''}`;

/** The distinct groups of the rows. */
export function groupsOf(rows: readonly { key: GroupKey }[]): GroupKey[] {
  const keys = new Map<string, GroupKey>();
  for (const row of rows) keys.set(keyId(row.key), row.key);
  return [...keys.values()];
}

/**
 * One row per (period, group, model): every group that has figures somewhere gets rows of zeros
 * wherever it has none — under the other models, in the other periods of a time series — so
 * that models and periods can be read side by side. Without `periods`, rows have no period.
 * `groups` are those of the rows unless given.
 */
export function completeGrid(
  rows: readonly KeyedSums[],
  models: readonly string[],
  periods?: readonly string[],
  groups: readonly GroupKey[] = groupsOf(rows),
): KeyedSums[] {
  const cell = (period: string | undefined, key: GroupKey, model: string) => `${period ?? ''}#${keyId(key)}#${model}`;
  const present = new Set(rows.map((row) => cell(row.period, row.key, row.model)));
  const filled = [...rows];
  for (const period of periods ?? [undefined])
    for (const key of groups)
      for (const model of models)
        if (!present.has(cell(period, key, model))) filled.push({ key, model, ...(period === undefined ? {} : { period }), ...ZERO_SUMS });
  return filled;
}

/**
 * The report's order, the same for every request: periods in time order, then campaigns by name
 * (then id; a campaign without a name after those, and "no campaign" last), then channels by
 * name, then the models in the order they were asked for. Names compare by code point, not by
 * locale.
 */
export function compareRows(models: readonly string[]) {
  const order = new Map(models.map((m, i) => [m, i]));
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const campaignRank = (k: GroupKey) => (k.campaignId === null ? 2 : k.campaignName == null ? 1 : 0);
  return (a: { key: GroupKey; model: string; period?: string }, b: { key: GroupKey; model: string; period?: string }): number => {
    const period = text(a.period ?? '', b.period ?? '');
    if (period !== 0) return period;
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
