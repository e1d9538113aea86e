import type Handlebars from 'handlebars';

/**
 * Helpers available in email templates. They never throw on odd values: lead data varies
 * from lead to lead, and one missing field should not stop a send.
 *
 *   {{formatDate lead.signedUpAt "long" "de-DE"}}       dates (Date or ISO string), UTC unless timeZone="…"
 *   {{formatCurrency order.total "EUR" "de-DE"}}        amounts (number or decimal string)
 *   {{default lead.firstName "there"}}                  fallback for null, undefined or blank
 */
export const TEMPLATE_HELPER_NAMES = ['formatDate', 'formatCurrency', 'default'] as const;

const DEFAULT_LOCALE = 'en-US';
const DATE_STYLES = ['short', 'medium', 'long', 'full'] as const;
type DateStyle = (typeof DATE_STYLES)[number];
const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;

export function registerTemplateHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('formatDate', (...args: unknown[]) => {
    const { values, hash } = splitHelperArgs(args);
    return formatDate(values[0], values[1], values[2], hash.timeZone);
  });
  handlebars.registerHelper('formatCurrency', (...args: unknown[]) => {
    const { values } = splitHelperArgs(args);
    return formatCurrency(values[0], values[1], values[2]);
  });
  handlebars.registerHelper('default', (...args: unknown[]) => {
    const { values } = splitHelperArgs(args);
    return isBlank(values[0]) ? values[1] : values[0];
  });
}

export function formatDate(value: unknown, style?: unknown, locale?: unknown, timeZone?: unknown): string {
  const date = toDate(value);
  if (!date) return '';
  const dateStyle: DateStyle = DATE_STYLES.find((s) => s === style) ?? 'medium';
  const zone = typeof timeZone === 'string' && timeZone !== '' ? timeZone : 'UTC';
  try {
    return new Intl.DateTimeFormat(localeOf(locale), { dateStyle, timeZone: zone }).format(date);
  } catch {
    // A malformed locale or time zone falls back to the defaults rather than failing the send.
    return new Intl.DateTimeFormat(DEFAULT_LOCALE, { dateStyle, timeZone: 'UTC' }).format(date);
  }
}

export function formatCurrency(amount: unknown, currency: unknown, locale?: unknown): string {
  const value = toAmount(amount);
  if (value === null) return '';
  const code = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
  for (const candidate of [localeOf(locale), DEFAULT_LOCALE]) {
    try {
      return new Intl.NumberFormat(candidate, { style: 'currency', currency: code }).format(value);
    } catch {
      // try the next locale, then give up on currency formatting
    }
  }
  return `${value.toFixed(2)} ${code}`.trim();
}

/** Handlebars passes its options object last; split it from the template's own arguments. */
function splitHelperArgs(args: unknown[]): { values: unknown[]; hash: Record<string, unknown> } {
  const options = args[args.length - 1];
  const hash = isRecord(options) && isRecord(options.hash) ? options.hash : {};
  return { values: args.slice(0, -1), hash };
}

function toDate(value: unknown): Date | null {
  let date: Date | null = null;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) date = new Date(value);
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

function toAmount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  return null;
}

function localeOf(locale: unknown): string {
  return typeof locale === 'string' && locale.trim() !== '' ? locale.trim() : DEFAULT_LOCALE;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
