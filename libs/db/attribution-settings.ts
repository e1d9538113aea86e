import type { Connection } from '@mikro-orm/core';
import { DEFAULT_HALF_LIFE_MS, DEFAULT_LOOKBACK_MS } from '@ce/attribution';

const DAY_MS = 86_400_000;

/** The attribution settings as the models use them. */
export interface AttributionWindow {
  lookbackDays: number;
  halfLifeDays: number;
  lookbackMs: number;
  halfLifeMs: number;
}

/** The settings' one row, for a raw client that reads it inside its own transaction. */
export const ATTRIBUTION_SETTINGS_SQL = 'select lookback_days, half_life_days from attribution_settings where id = 1';

export interface AttributionSettingsRow {
  lookback_days: number;
  half_life_days: number;
}

export function windowOf(lookbackDays: number, halfLifeDays: number): AttributionWindow {
  return { lookbackDays, halfLifeDays, lookbackMs: lookbackDays * DAY_MS, halfLifeMs: halfLifeDays * DAY_MS };
}

export const DEFAULT_ATTRIBUTION_WINDOW: AttributionWindow = windowOf(DEFAULT_LOOKBACK_MS / DAY_MS, DEFAULT_HALF_LIFE_MS / DAY_MS);

/** The window from the settings' row; the defaults when the row is missing. */
export function windowFromRow(row: AttributionSettingsRow | undefined): AttributionWindow {
  return row ? windowOf(Number(row.lookback_days), Number(row.half_life_days)) : DEFAULT_ATTRIBUTION_WINDOW;
}

/** Reads the attribution settings. */
export async function loadAttributionWindow(connection: Pick<Connection, 'execute'>): Promise<AttributionWindow> {
  const [row] = await connection.execute<AttributionSettingsRow[]>(ATTRIBUTION_SETTINGS_SQL);
  return windowFromRow(row);
}
