import type { Connection } from '@mikro-orm/core';
import type { ClientBase } from 'pg';
import { DEFAULT_HALF_LIFE_MS, DEFAULT_LOOKBACK_MS } from '@ce/attribution';

const DAY_MS = 86_400_000;

/** The attribution settings as the models use them. */
export interface AttributionWindow {
  lookbackDays: number;
  halfLifeDays: number;
  lookbackMs: number;
  halfLifeMs: number;
}

/** The settings' one row. */
const SETTINGS_SQL = 'select lookback_days, half_life_days from attribution_settings where id = 1';

interface SettingsRow {
  lookback_days: number;
  half_life_days: number;
}

function windowOf(lookbackDays: number, halfLifeDays: number): AttributionWindow {
  return { lookbackDays, halfLifeDays, lookbackMs: lookbackDays * DAY_MS, halfLifeMs: halfLifeDays * DAY_MS };
}

/**
 * Reads the attribution settings, through the ORM's connection or through a raw client (which
 * reads them inside its own transaction); the defaults when the row is missing.
 */
export async function loadAttributionWindow(db: Pick<Connection, 'execute'> | Pick<ClientBase, 'query'>): Promise<AttributionWindow> {
  const [row] = 'execute' in db ? await db.execute<SettingsRow[]>(SETTINGS_SQL) : (await db.query<SettingsRow>(SETTINGS_SQL)).rows;
  return row ? windowOf(Number(row.lookback_days), Number(row.half_life_days)) : windowOf(DEFAULT_LOOKBACK_MS / DAY_MS, DEFAULT_HALF_LIFE_MS / DAY_MS);
}
