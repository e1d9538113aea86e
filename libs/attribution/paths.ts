/** Journeys that took the same path, counted together (the shape of `attribution-paths.csv`). */
export interface PathStats {
  /** Channels in the order they were touched; the same channel may come more than once. */
  channels: string[];
  /** Journeys on this path that converted, and the value of their conversions. */
  conversions: number;
  value: number;
  /** Journeys on this path that did not convert. */
  nulls: number;
}

/** Each channel's share of all conversions and of their value under a data-driven model. */
export interface ChannelAttribution {
  channel: string;
  /** The model's raw weight for the channel (a removal effect, a Shapley value), before scaling. */
  weight: number;
  /** Its part of all conversions; the channels' parts add up to the paths' conversions. */
  conversions: number;
  /** Its part of all conversion value; they add up to the paths' value. */
  value: number;
}

export interface DataDrivenResult {
  channels: ChannelAttribution[];
  totalConversions: number;
  totalValue: number;
}

/**
 * Reads aggregated paths from CSV text with the columns `path` (channels joined by ` > `),
 * `total_conversions`, `total_conversion_value` and `total_null`, in any order.
 */
export function parsePathsCsv(text: string): PathStats[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines.shift()?.split(',').map((h) => h.trim()) ?? [];
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`the CSV has no column "${name}"`);
    return index;
  };
  const [path, conversions, value, nulls] = ['path', 'total_conversions', 'total_conversion_value', 'total_null'].map(column);
  return lines.map((line, i) => {
    const cells = line.split(',');
    const numbers = [conversions, value, nulls].map((c) => Number(cells[c]));
    if (numbers.some((n) => !Number.isFinite(n) || n < 0)) throw new Error(`line ${i + 2}: counts must be numbers ≥ 0`);
    const channels = cells[path].split('>').map((c) => c.trim()).filter((c) => c !== '');
    if (channels.length === 0) throw new Error(`line ${i + 2}: the path is empty`);
    return { channels, conversions: numbers[0], value: numbers[1], nulls: numbers[2] };
  });
}

/** Scales channel weights to shares of the totals; all-zero weights share nothing (every part 0). */
export function scaleToTotals(weights: Map<string, number>, totalConversions: number, totalValue: number, valueWeights = weights): DataDrivenResult {
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const total = sum(weights);
  const totalForValue = sum(valueWeights);
  const channels = [...weights.keys()].sort().map((channel) => ({
    channel,
    weight: weights.get(channel)!,
    conversions: total > 0 ? (totalConversions * weights.get(channel)!) / total : 0,
    value: totalForValue > 0 ? (totalValue * (valueWeights.get(channel) ?? 0)) / totalForValue : 0,
  }));
  return { channels, totalConversions, totalValue };
}

export function totals(paths: readonly PathStats[]): { conversions: number; value: number } {
  let conversions = 0;
  let value = 0;
  for (const p of paths) {
    conversions += p.conversions;
    value += p.value;
  }
  return { conversions, value };
}
