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
const KNOWN_FIELDS = new Set<string>([
  'email',
  ...TEXT_FIELDS,
  'phone',
  'country',
  'timeZone',
  'sourceChannel',
  'lifecycleStage',
  'ownerId',
  'attributes',
  'externalIds',
  'consent',
]);

const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]]+\.[^\s@"<>(),;:\\[\]]{2,}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PHONE = /^\+?[0-9 ()\-.]{3,49}$/;
const SOURCE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const MAX_TEXT_ATTRIBUTE = 10_000;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

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
      if (email.length > 320 || !EMAIL.test(email)) fail('email', 'must be a valid email address');
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
  readOptional(raw, 'phone', fail, (v) => (typeof v === 'string' && PHONE.test(v.trim()) ? v.trim() : undefined), 'must be a phone number (digits, spaces, + ( ) - .)', (v) => (record.phone = v));
  readOptional(raw, 'country', fail, (v) => (typeof v === 'string' && /^[A-Za-z]{2}$/.test(v.trim()) ? v.trim().toUpperCase() : undefined), 'must be a two-letter ISO 3166 country code', (v) => (record.country = v));
  readOptional(raw, 'timeZone', fail, (v) => (typeof v === 'string' && isTimeZone(v) ? v : undefined), 'must be an IANA time zone such as Europe/Berlin', (v) => (record.timeZone = v));
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
      fail(path, 'is not a declared attribute; declare it first (POST /v1/attribute-definitions)');
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
      if (rule.required && (out[name] === undefined || out[name] === null)) fail(`attributes.${name}`, 'is required');
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
      const date = typeof value === 'string' && ISO_DATE.test(value) ? new Date(value) : null;
      return date && !Number.isNaN(date.getTime())
        ? { ok: true, value: date.toISOString() }
        : { ok: false, message: 'must be an ISO 8601 date or date-time' };
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

function isTimeZone(zone: string): boolean {
  if (zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
