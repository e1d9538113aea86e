import { parse } from 'csv-parse/sync';
import { minorDigits, parseMoney } from '@ce/money';
import { isDay } from '../common/input-checks';

/** The most rows one import takes. */
export const MAX_COST_ROWS = 100_000;

export interface CostCampaign {
  id: string;
  name: string;
  currency: string;
}

export interface CostRow {
  campaignId: string;
  channel: string;
  day: string;
  amountMinor: bigint;
  currency: string;
}

export interface RowProblem {
  path: string;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHANNEL = /^[a-z][a-z0-9_]{0,31}$/;

/** The CSV's records by column name; a file that is not CSV, or lacks a column, is one problem. */
export function readCostCsv(text: string): { records: Record<string, string>[]; problems: RowProblem[] } {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    return { records: [], problems: [{ path: 'file', message: `is not readable CSV: ${(error as Error).message}` }] };
  }
  if (records.length === 0) return { records, problems: [{ path: 'file', message: 'has no rows' }] };
  if (records.length > MAX_COST_ROWS) return { records: [], problems: [{ path: 'file', message: `has ${records.length} rows; at most ${MAX_COST_ROWS} at once` }] };
  const missing = ['campaign', 'channel', 'day', 'amount'].filter((c) => !(c in records[0]));
  if (missing.length > 0) return { records: [], problems: [{ path: 'file', message: `lacks the column(s) ${missing.join(', ')}` }] };
  return { records, problems: [] };
}

/**
 * Checks every record and resolves its campaign (by id, or by exact name when that names one
 * campaign only). Problems are named `rows[n].<column>`, n counting data rows from 1.
 */
export function checkCostRows(records: Record<string, string>[], campaigns: { byId: Map<string, CostCampaign>; byName: Map<string, CostCampaign[]> }): { rows: CostRow[]; problems: RowProblem[] } {
  const rows: CostRow[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  records.forEach((record, i) => {
    const at = (column: string) => `rows[${i + 1}].${column}`;
    const before = problems.length;
    const ref = record.campaign ?? '';
    const campaign = UUID.test(ref) ? campaigns.byId.get(ref.toLowerCase()) : undefined;
    const named = campaign ? [campaign] : (campaigns.byName.get(ref.toLowerCase()) ?? []);
    if (named.length === 0) problems.push({ path: at('campaign'), message: `no campaign has the id or name "${ref}"` });
    else if (named.length > 1) problems.push({ path: at('campaign'), message: `${named.length} campaigns are called "${ref}"; use the id` });
    const channel = record.channel ?? '';
    if (!CHANNEL.test(channel)) problems.push({ path: at('channel'), message: 'must be a channel name: lower-case letters, digits and _, at most 32' });
    const day = record.day ?? '';
    if (!isDay(day)) problems.push({ path: at('day'), message: 'must be a real date as YYYY-MM-DD' });
    const target = named.length === 1 ? named[0] : null;
    const currency = (record.currency ?? '').toUpperCase() || target?.currency || '';
    if (target && currency !== target.currency) problems.push({ path: at('currency'), message: `must be the campaign's currency, ${target.currency}` });
    const money = target ? parseMoney(record.amount ?? '', target.currency) : null;
    if (target && (!money || money.minor < 0n))
      problems.push({ path: at('amount'), message: `must be a decimal amount ≥ 0 with at most ${minorDigits(target.currency)} decimals` });
    if (problems.length > before || !target || !money) return;
    const key = `${target.id}|${channel}|${day}`;
    if (seen.has(key)) {
      problems.push({ path: at('day'), message: `repeats row ${seen.get(key)} (same campaign, channel and day)` });
      return;
    }
    seen.set(key, i + 1);
    rows.push({ campaignId: target.id, channel, day, amountMinor: money.minor, currency: target.currency });
  });
  return { rows, problems };
}
