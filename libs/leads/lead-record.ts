import {
  AttributeType,
  CONSENT_CHANNELS,
  CONSENT_STATUSES,
  ConsentChannel,
  ConsentStatus,
  LIFECYCLE_STAGES,
  LifecycleStage,
} from '@ce/db';
import type { FieldProblem } from '@ce/errors';

/** A lead as written by a client (API, batch, import), checked and normalised. */
export interface LeadRecord {
  email?: string;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  jobTitle?: string | null;
  phone?: string | null;
  country?: string | null;
  timeZone?: string | null;
  sourceChannel?: string | null;
  lifecycleStage?: LifecycleStage;
  ownerId?: string | null;
  attributes?: Record<string, unknown>;
  /** Source system → the lead's id there, e.g. { salesforce: '00Q5e00000AbCdE' }. */
  externalIds?: Record<string, string>;
  consent?: Partial<Record<ConsentChannel, ConsentStatus>>;
}

export interface AttributeRule {
  type: AttributeType;
  required: boolean;
  options: string[] | null;
}

export type AttributeRules = ReadonlyMap<string, AttributeRule>;

export interface ParseOptions {
  attributes: AttributeRules;
  /** `create` needs an email and every required attribute; `update` takes any subset. */
  mode: 'create' | 'update';
}

export const TEXT_FIELDS = ['firstName', 'lastName', 'company', 'jobTitle'] as const;
/** The standard fields a client may write (besides attributes, external ids and consent). */
export const LEAD_WRITE_FIELDS = ['email', ...TEXT_FIELDS, 'phone', 'country', 'timeZone', 'sourceChannel', 'lifecycleStage', 'ownerId'] as const;
const KNOWN_FIELDS = new Set<string>([
  ...LEAD_WRITE_FIELDS,
  'attributes',
  'externalIds',
  'consent',
]);

const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]]+\.[^\s@"<>(),;:\\[\]]{2,}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PHONE = /^\+?[0-9 ()\-.]{3,49}$/;
const hasDigits = (phone: string) => (phone.match(/[0-9]/g) ?? []).length >= 3;
const SOURCE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_TEXT_ATTRIBUTE = 10_000;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Whether a normalised email is one a lead may have. */
export const isLeadEmail = (email: string) => email.length <= 320 && EMAIL.test(email);

/**
 * Checks a lead written by a client and returns it normalised (email trimmed and lower-cased,
 * country upper-cased, dates as ISO strings), or every problem with its path.
 */
export function parseLeadRecord(raw: unknown, options: ParseOptions): { record: LeadRecord; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const record: LeadRecord = {};
  const fail = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(raw)) return { record, problems: [{ path: '', message: 'must be an object' }] };

  for (const key of Object.keys(raw)) if (!KNOWN_FIELDS.has(key)) fail(key, 'is not a known field');

  if (raw.email !== undefined) {
    if (typeof raw.email !== 'string') fail('email', 'must be a string');
    else {
      const email = normaliseEmail(raw.email);
      if (!isLeadEmail(email)) fail('email', 'must be a valid email address');
      else record.email = email;
    }
  } else if (options.mode === 'create') fail('email', 'is required');

  for (const field of TEXT_FIELDS) {
    const value = raw[field];
    if (value === undefined) continue;
    if (value === null) record[field] = null;
    else if (typeof value !== 'string' || value.length > 200) fail(field, 'must be text of at most 200 characters, or null');
    else record[field] = value.trim() === '' ? null : value.trim();
  }
  readOptional(raw, 'phone', fail, (v) => (typeof v === 'string' && PHONE.test(v.trim()) && hasDigits(v) ? v.trim() : undefined), 'must be a phone number (at least 3 digits; spaces, + ( ) - . allowed)', (v) => (record.phone = v));
  readOptional(raw, 'country', fail, (v) => (typeof v === 'string' ? countryCode(v) : undefined), 'must be a two-letter ISO 3166 country code', (v) => (record.country = v));
  readOptional(raw, 'timeZone', fail, (v) => (typeof v === 'string' ? canonicalTimeZone(v) : undefined), 'must be an IANA time zone such as Europe/Berlin', (v) => (record.timeZone = v));
  readOptional(raw, 'sourceChannel', fail, (v) => (typeof v === 'string' && SOURCE.test(v.trim().toLowerCase()) ? v.trim().toLowerCase() : undefined), 'must be a short word such as web, event or referral', (v) => (record.sourceChannel = v));
  readOptional(raw, 'ownerId', fail, (v) => (typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : undefined), 'must be a UUID or null', (v) => (record.ownerId = v));

  if (raw.lifecycleStage !== undefined) {
    if (typeof raw.lifecycleStage === 'string' && (LIFECYCLE_STAGES as readonly string[]).includes(raw.lifecycleStage))
      record.lifecycleStage = raw.lifecycleStage as LifecycleStage;
    else fail('lifecycleStage', `must be one of ${LIFECYCLE_STAGES.join(', ')}`);
  }

  record.attributes = parseAttributes(raw.attributes, options, fail);
  if (record.attributes === undefined) delete record.attributes;

  if (raw.externalIds !== undefined) {
    if (!isObject(raw.externalIds)) fail('externalIds', 'must be an object of source system → id');
    else {
      record.externalIds = {};
      for (const [source, id] of Object.entries(raw.externalIds)) {
        if (!SOURCE.test(source)) fail(`externalIds.${source}`, 'the source must be lower-case letters, digits, - and _');
        else if (typeof id !== 'string' || id.trim() === '' || id.length > 200) fail(`externalIds.${source}`, 'must be an id of 1 to 200 characters');
        else record.externalIds[source] = id.trim();
      }
    }
  }

  if (raw.consent !== undefined) {
    if (!isObject(raw.consent)) fail('consent', 'must be an object of channel → status');
    else {
      record.consent = {};
      for (const [channel, status] of Object.entries(raw.consent)) {
        if (!(CONSENT_CHANNELS as readonly string[]).includes(channel)) fail(`consent.${channel}`, `is not a channel; channels: ${CONSENT_CHANNELS.join(', ')}`);
        else if (typeof status !== 'string' || !(CONSENT_STATUSES as readonly string[]).includes(status))
          fail(`consent.${channel}`, `must be one of ${CONSENT_STATUSES.join(', ')}`);
        else record.consent[channel as ConsentChannel] = status as ConsentStatus;
      }
    }
  }
  return { record, problems };
}

function parseAttributes(
  raw: unknown,
  options: ParseOptions,
  fail: (path: string, message: string) => void,
): Record<string, unknown> | undefined {
  const given = raw === undefined ? {} : raw;
  if (!isObject(given)) {
    fail('attributes', 'must be an object of attribute name → value');
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    const rule = options.attributes.get(name);
    const path = `attributes.${name}`;
    if (!rule) {
      // A value left behind by a removed declaration can still be cleared.
      if (value === null && options.mode === 'update') out[name] = null;
      else fail(path, 'is not a declared attribute; declare it first (POST /v1/attribute-definitions)');
      continue;
    }
    if (value === null) {
      if (rule.required) fail(path, 'is required and cannot be null');
      else out[name] = null;
      continue;
    }
    const checked = checkAttributeValue(rule, value);
    if (checked.ok) out[name] = checked.value;
    else fail(path, checked.message);
  }
  if (options.mode === 'create') {
    for (const [name, rule] of options.attributes) {
      if (rule.required && out[name] === undefined && (given as Record<string, unknown>)[name] === undefined)
        fail(`attributes.${name}`, 'is required');
    }
  }
  return raw === undefined && Object.keys(out).length === 0 ? undefined : out;
}

/** Checks one attribute value against its declared type; dates come back as ISO strings. */
export function checkAttributeValue(rule: AttributeRule, value: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  switch (rule.type) {
    case 'string':
      return typeof value === 'string' && value.length <= MAX_TEXT_ATTRIBUTE
        ? { ok: true, value }
        : { ok: false, message: `must be text of at most ${MAX_TEXT_ATTRIBUTE} characters` };
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : { ok: false, message: 'must be a number' };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, message: 'must be true or false' };
    case 'date': {
      const date = typeof value === 'string' ? parseIsoDate(value) : null;
      return date
        ? { ok: true, value: date.toISOString() }
        : { ok: false, message: 'must be an ISO 8601 date (2027-06-01) or date-time with an offset (2027-06-01T10:00:00Z)' };
    }
    case 'enum':
      return typeof value === 'string' && (rule.options ?? []).includes(value)
        ? { ok: true, value }
        : { ok: false, message: `must be one of ${(rule.options ?? []).join(', ')}` };
  }
}

function readOptional(
  raw: Record<string, unknown>,
  key: string,
  fail: (path: string, message: string) => void,
  parse: (value: unknown) => string | undefined,
  message: string,
  set: (value: string | null) => void,
): void {
  const value = raw[key];
  if (value === undefined) return;
  if (value === null || value === '') return set(null);
  const parsed = parse(value);
  if (parsed === undefined) fail(key, message);
  else set(parsed);
}

const ZONE_SPELLING = new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));

/**
 * A known IANA zone in its usual spelling (europe/berlin → Europe/Berlin), or undefined. A
 * correctly spelled name is kept as given, so Asia/Kolkata is not turned into an older alias.
 */
function canonicalTimeZone(text: string): string | undefined {
  // Checking a zone builds a formatter (about 0.1 ms); imports check the same few zones a
  // million times, so answers are remembered (a bounded map: there are a few hundred zones).
  if (zoneAnswers.has(text)) return zoneAnswers.get(text) ?? undefined;
  const answer = checkTimeZone(text);
  if (zoneAnswers.size < 5_000) zoneAnswers.set(text, answer ?? null);
  return answer;
}

const zoneAnswers = new Map<string, string | null>();

function checkTimeZone(text: string): string | undefined {
  const zone = text.trim();
  if (zone.length === 0 || zone.length > 64) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    if (ZONE_SPELLING.has(zone.toLowerCase())) return ZONE_SPELLING.get(zone.toLowerCase());
    return /[A-Z]/.test(zone) ? zone : resolved;
  } catch {
    return undefined;
  }
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** An assigned ISO 3166-1 alpha-2 code, upper-cased; undefined otherwise. */
function countryCode(text: string): string | undefined {
  const code = text.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) return undefined;
  const name = regionNames.of(code);
  return name && name !== code && name !== 'Unknown Region' ? code : undefined;
}

/**
 * A calendar date (YYYY-MM-DD) or a date-time with its offset, as a real instant: 2027-02-30
 * and times without an offset (which would depend on the server's zone) are refused.
 */
function parseIsoDate(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2}))?$/.exec(text);
  if (!match) return null;
  const [, y, m, d, hh, mm, ss] = match;
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() !== Number(m) - 1 || day.getUTCDate() !== Number(d)) return null;
  if (hh !== undefined && (Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? 0) > 59)) return null;
  const date = new Date(hh === undefined ? `${y}-${m}-${d}T00:00:00Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
