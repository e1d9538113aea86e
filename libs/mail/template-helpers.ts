import type Handlebars from 'handlebars';
import { DateTime } from 'luxon';

/**
 * Helpers available in email templates. They never throw on odd values: lead data varies
 * from lead to lead, and one odd field should not stop a send.
 *
 *   {{formatDate lead.renewsOn "long" "de-DE"}}                 a date; styles short, medium, long, full
 *   {{formatDate order.at "medium" time="short" timeZone=lead.timeZone}}   with the time, in the lead's zone
 *   {{formatDate order.at format="d LLL yyyy, HH:mm" timeZone="Europe/Berlin"}}   luxon format tokens
 *   {{formatCurrency order.total "EUR" "de-DE"}}                 amounts (number or decimal string)
 *   {{formatCurrency order.totalCents "USD" minorUnits=true}}    amounts in cents (minor units)
 *   {{default lead.firstName "there"}}                           fallback for null, undefined or blank
 *
 * Dates render in UTC unless `timeZone` names an IANA zone. A date or date-time written
 * without an offset ("2024-03-05", "2024-03-05T09:30") is read as wall-clock time in that
 * zone, so a calendar date never shifts to the day before.
 */
export const TEMPLATE_HELPER_NAMES = ['formatDate', 'formatCurrency', 'default'] as const;

/** Helpers whose first argument is a value they print; the missing-variable policy covers it. */
export const FORMATTING_HELPER_NAMES: readonly string[] = ['formatDate', 'formatCurrency'];

/** Helpers handlebars itself provides. */
export const BUILT_IN_HELPER_NAMES: readonly string[] = ['if', 'unless', 'each', 'with', 'lookup', 'log', 'helperMissing', 'blockHelperMissing'];

export interface DateOptions {
  timeZone?: unknown;
  /** luxon format tokens, e.g. "d LLL yyyy"; when given, the style is ignored. */
  format?: unknown;
  /** Adds the time of day in this style. */
  time?: unknown;
}

const DEFAULT_LOCALE = 'en-US';
const STYLES = ['short', 'medium', 'long', 'full'] as const;
type Style = (typeof STYLES)[number];
const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;

export function registerTemplateHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('formatDate', (...args: unknown[]) => {
    const { values, hash } = splitHelperArgs(args);
    return formatDate(values[0], values[1], hash.locale ?? values[2], hash);
  });
  handlebars.registerHelper('formatCurrency', (...args: unknown[]) => {
    const { values, hash } = splitHelperArgs(args);
    return formatCurrency(values[0], values[1], hash.locale ?? values[2], { minorUnits: hash.minorUnits === true });
  });
  handlebars.registerHelper('default', (...args: unknown[]) => {
    const { values } = splitHelperArgs(args);
    return isBlank(values[0]) ? values[1] : values[0];
  });
}

export function formatDate(value: unknown, style?: unknown, locale?: unknown, options: DateOptions = {}): string {
  const zone = validZone(options.timeZone);
  const date = toDateTime(value, zone);
  if (!date) return '';
  const dateStyle: Style = STYLES.find((s) => s === style) ?? 'medium';
  const timeStyle = STYLES.find((s) => s === options.time);
  const format = typeof options.format === 'string' && options.format.trim() !== '' ? options.format : null;
  for (const candidate of [localeOf(locale), DEFAULT_LOCALE]) {
    try {
      const local = date.setLocale(candidate);
      return format ? local.toFormat(format) : local.toLocaleString(timeStyle ? { dateStyle, timeStyle } : { dateStyle });
    } catch {
      // A malformed locale falls back to the default rather than failing the send.
    }
  }
  return date.toISO() ?? '';
}

export function formatCurrency(amount: unknown, currency: unknown, locale?: unknown, options: { minorUnits?: boolean } = {}): string {
  const parsed = toAmount(amount);
  if (parsed === null) return '';
  const code = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
  for (const candidate of [localeOf(locale), DEFAULT_LOCALE]) {
    try {
      const format = new Intl.NumberFormat(candidate, { style: 'currency', currency: code });
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      return format.format(options.minorUnits ? parsed / 10 ** digits : parsed);
    } catch {
      // try the next locale, then give up on currency formatting
    }
  }
  const value = options.minorUnits ? parsed / 100 : parsed;
  return `${value.toFixed(2)} ${code}`.trim();
}

/** Handlebars passes its options object last; split it from the template's own arguments. */
function splitHelperArgs(args: unknown[]): { values: unknown[]; hash: Record<string, unknown> } {
  const options = args[args.length - 1];
  const hash = isRecord(options) && isRecord(options.hash) ? options.hash : {};
  return { values: args.slice(0, -1), hash };
}

function validZone(timeZone: unknown): string {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') return 'UTC';
  return DateTime.fromMillis(0).setZone(timeZone.trim()).isValid ? timeZone.trim() : 'UTC';
}

function toDateTime(value: unknown, zone: string): DateTime | null {
  let date: DateTime | null = null;
  if (value instanceof Date) date = DateTime.fromJSDate(value, { zone });
  else if (typeof value === 'number') date = DateTime.fromMillis(value, { zone });
  else if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    date = DateTime.fromISO(text, { zone });
    if (!date.isValid) date = DateTime.fromSQL(text, { zone });
    if (!date.isValid) date = DateTime.fromRFC2822(text, { zone });
  }
  return date?.isValid ? date : null;
}

function toAmount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  return null;
}

function localeOf(locale: unknown): string {
  return typeof locale === 'string' && locale.trim() !== '' ? locale.trim() : DEFAULT_LOCALE;
}

export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
