import { parseDuration } from '@ce/flows';
import { RelativeDate, SEGMENT_LIMITS } from './segment.types';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether PostgreSQL can hold the text: no NUL character (text and jsonb refuse it) and no
 * lone UTF-16 surrogate (jsonb refuses its escape). Anything else is fine, quotes included.
 */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** Whether every key and string inside a JSON value is storable. */
export function isStorableJson(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (isPlainObject(value)) return Object.entries(value).every(([k, v]) => isStorableText(k) && isStorableJson(v));
  return true;
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2})))?$/;

/**
 * Parses an ISO 8601 date-time with a time zone (`2025-01-31T09:30:00Z`,
 * `2025-01-31T10:30:00.250+01:00`) or a bare date (`2025-01-31`, midnight UTC). A date-time
 * without a zone is refused: which zone it meant is a guess. Returns null when invalid.
 */
export function parseIsoDate(text: string): Date | null {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone, sign, zh, zm] = m;
  if (h !== undefined && zone === undefined) return null;
  const [year, month, day, hour, minute, second] = [y, mo, d, h ?? '0', mi ?? '0', s ?? '0'].map(Number);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm)) : 0;
  if (sign && (Number(zh) > 15 || Number(zm) > 59)) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const millis = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  date.setUTCHours(hour, minute, second, millis);
  return new Date(date.getTime() - offsetMinutes * 60_000);
}

export function isRelativeDate(value: unknown): value is RelativeDate {
  return isPlainObject(value) && Object.keys(value).length === 1 && typeof value.ago === 'string';
}

/** Milliseconds of a look-back duration (`30d`, `PT12H`), or null when invalid or too long. */
export function lookBackMs(duration: string): number | null {
  const ms = parseDuration(duration);
  return ms !== null && ms <= SEGMENT_LIMITS.maxLookBackMs ? ms : null;
}

/**
 * The moment a validated date value stands for, as an ISO string in UTC: the date itself, or
 * `now` minus the duration.
 */
export function resolveDate(value: unknown, now: Date): string | null {
  if (typeof value === 'string') return parseIsoDate(value)?.toISOString() ?? null;
  if (isRelativeDate(value)) {
    const ms = lookBackMs(value.ago);
    return ms === null ? null : new Date(now.getTime() - ms).toISOString();
  }
  return null;
}
