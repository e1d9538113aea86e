import type { FieldProblem } from '@ce/errors';
import { isLeadEmail, normaliseEmail } from '@ce/leads';
import { isUuid } from '@ce/segments';
import { isPlainObject } from '../common/input-checks';

/** As the leads API stores external ids: the source system is a short lower-case word. */
const SOURCE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** An ISO 8601 date-time with seconds optional, fractions up to nanoseconds and a zone (Z or ±hh:mm). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

export type LeadReference =
  | { kind: 'id'; path: string; id: string }
  | { kind: 'email'; path: string; email: string }
  | { kind: 'external'; path: string; source: string; id: string };

/**
 * Reads the fields of one object of a request body, collecting every problem with its full
 * path, so that all of them can be reported at once. Fields it is not asked for are reported
 * as unknown by `finish`.
 */
export class InputReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly raw: Record<string, unknown>,
    readonly path: string,
    private readonly problems: FieldProblem[],
  ) {}

  fail(field: string | null, message: string): void {
    this.problems.push({ path: field === null ? this.path : this.at(field), message });
  }

  at(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  has(field: string): boolean {
    this.seen.add(field);
    return this.raw[field] !== undefined && this.raw[field] !== null;
  }

  value(field: string): unknown {
    this.seen.add(field);
    return this.raw[field];
  }

  /** A string of 1 to `max` characters after trimming; undefined when absent or null. */
  text(field: string, max: number, required = false): string | undefined {
    if (!this.has(field)) {
      if (required) this.fail(field, 'is required');
      return undefined;
    }
    const value = this.raw[field];
    if (typeof value !== 'string') return this.fail(field, 'must be a string'), undefined;
    const trimmed = value.trim();
    if (trimmed === '' || trimmed.length > max) return this.fail(field, `must be 1 to ${max} characters`), undefined;
    return trimmed;
  }

  /** A lower-case word: a letter, then letters, digits and _. */
  word(field: string, max: number, required = false): string | undefined {
    const value = this.text(field, max, required);
    if (value === undefined) return undefined;
    if (!new RegExp(`^[a-z][a-z0-9_]{0,${max - 1}}$`).test(value))
      return this.fail(field, `must be a lower-case word of at most ${max} letters, digits and _ (such as paid_search)`), undefined;
    return value;
  }

  uuid(field: string): string | undefined {
    if (!this.has(field)) return undefined;
    const value = this.raw[field];
    if (!isUuid(value)) return this.fail(field, 'must be a UUID'), undefined;
    return value.toLowerCase();
  }

  /** A date-time with its zone, not later than `latest`. */
  dateTime(field: string, latest: Date, required = false): Date | undefined {
    if (!this.has(field)) {
      if (required) this.fail(field, 'is required');
      return undefined;
    }
    const value = this.raw[field];
    const date = typeof value === 'string' ? parseDateTime(value) : null;
    if (!date) return this.fail(field, 'must be an ISO 8601 date-time with a time zone, such as 2026-11-24T10:00:00Z'), undefined;
    if (date.getTime() > latest.getTime()) return this.fail(field, 'must not be more than 1 day in the future'), undefined;
    return date;
  }

  /** A nested object, or undefined when absent; problems inside it get its path. */
  object(field: string): InputReader | undefined {
    if (!this.has(field)) return undefined;
    const value = this.raw[field];
    if (!isPlainObject(value)) return this.fail(field, 'must be an object'), undefined;
    return new InputReader(value, this.at(field), this.problems);
  }

  /**
   * The lead the object names: `leadId`, `email` or `externalLeadId` (`{ source, id }`), at most
   * one of them. Null when it names none (or only a bad one, which is reported).
   */
  leadReference(): { lead: LeadReference | null; named: number } {
    const named = ['leadId', 'email', 'externalLeadId'].filter((f) => this.has(f));
    if (named.length > 1) {
      for (const field of named.slice(1)) this.fail(field, `names the lead again after ${named[0]}; give only one of leadId, email or externalLeadId`);
      return { lead: null, named: named.length };
    }
    const id = this.uuid('leadId');
    if (id) return { lead: { kind: 'id', path: this.at('leadId'), id }, named: 1 };
    const email = this.email('email');
    if (email) return { lead: { kind: 'email', path: this.at('email'), email }, named: 1 };
    const external = this.object('externalLeadId');
    if (external) {
      const source = external.text('source', 64, true);
      const externalId = external.text('id', 200, true);
      if (source !== undefined && !SOURCE.test(source)) external.fail('source', 'must be lower-case letters, digits, - and _ (as in the lead\'s externalIds)');
      external.finish();
      if (source && externalId && SOURCE.test(source))
        return { lead: { kind: 'external', path: this.at('externalLeadId'), source, id: externalId }, named: 1 };
    }
    return { lead: null, named: named.length };
  }

  /** Reports the fields that were never read as unknown. */
  finish(): void {
    for (const key of Object.keys(this.raw)) if (!this.seen.has(key)) this.fail(key, 'is not a known field');
  }

  private email(field: string): string | undefined {
    if (!this.has(field)) return undefined;
    const value = this.raw[field];
    const email = typeof value === 'string' ? normaliseEmail(value) : '';
    if (!isLeadEmail(email)) return this.fail(field, 'must be a valid email address'), undefined;
    return email;
  }
}

/** The instant an ISO 8601 date-time names, or null when it is not one (or not a real calendar date). */
export function parseDateTime(value: string): Date | null {
  const match = DATE_TIME.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '0', offsetHours = '0', offsetMinutes = '0'] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const calendar = new Date(Date.UTC(y, m - 1, d));
  if (calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return null;
  const time = Date.parse(value.toUpperCase());
  return Number.isNaN(time) ? null : new Date(time);
}
