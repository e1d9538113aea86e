import type { Interval } from './roi-query';

/*
 * The periods of a time series. A period is named by its first day (YYYY-MM-DD, UTC): the day
 * itself, the Monday of its week, or the first of its month. The first and last periods of a
 * range are clipped to it (only the range's days count), but keep the name of their first day.
 */

const DAY_MS = 86_400_000;

function toDate(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return date;
}

function toDay(date: Date): string {
  const yyyy = String(date.getUTCFullYear()).padStart(4, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `${yyyy}-${mm}-${dd}`;
}

/** The first day of the period that holds `day`. */
export function periodStart(day: string, interval: Interval): string {
  const date = toDate(day);
  if (interval === 'week') return toDay(new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * DAY_MS));
  if (interval === 'month') date.setUTCDate(1);
  return toDay(date);
}

/** The first day of the period after the one that starts on `start`. */
function nextPeriod(start: string, interval: Interval): string {
  const date = toDate(start);
  if (interval === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCDate(date.getUTCDate() + (interval === 'week' ? 7 : 1));
  return toDay(date);
}

/** Every period that has a day in from..to (inclusive), in order, each named by its first day. */
export function periodsOf(from: string, to: string, interval: Interval): string[] {
  const periods: string[] = [];
  for (let start = periodStart(from, interval); start <= to; start = nextPeriod(start, interval)) periods.push(start);
  return periods;
}

/** The SQL expression (text, YYYY-MM-DD) of the period of a `date` column, as `periodStart` computes it. */
export function periodSql(column: string, interval: Interval): string {
  // Truncated as a timestamp without time zone, so the session's time zone plays no part.
  const start = interval === 'day' ? column : `date_trunc('${interval}', ${column}::timestamp)::date`;
  return `to_char(${start}, 'YYYY-MM-DD')`;
}
