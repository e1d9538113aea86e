import type { FieldProblem } from '@ce/errors';
import { isPlainObject } from '../common/input-checks';
import { InputReader, LeadReference } from './input-reader';

export const MAX_TOUCHPOINTS = 10_000;
export const MAX_PROPERTIES_BYTES = 16 * 1024;
/** Clocks differ; a touchpoint may be dated up to a day ahead of ours, not more. */
export const MAX_FUTURE_MS = 86_400_000;
/** The longest URL, in characters. */
const MAX_URL = 4_096;

export interface Utm {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
}

/** One touchpoint of a batch, checked and normalised; not yet matched to a lead or campaign. */
export interface TouchpointInput {
  /** Its position in the request. */
  index: number;
  externalId: string;
  type: string;
  occurredAt: Date;
  lead: LeadReference | null;
  visitorId: string | null;
  campaignId: string | null;
  utm: Utm | null;
  /** The channel the client named, if it did. */
  channel: string | null;
  url: string | null;
  /** The client's properties, with `utm_term` and `utm_content` added when given. */
  properties: Record<string, unknown>;
}

export interface IdentifyInput {
  visitorId: string;
  lead: LeadReference;
}

/**
 * Checks a batch `{ touchpoints: [...] }` and returns its items normalised, or every problem with
 * its path (`touchpoints[3].occurredAt`). A batch over the limit is refused as a whole, without
 * looking at its items.
 */
export function parseTouchpointBatch(body: unknown, now: Date): { items: TouchpointInput[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!isPlainObject(body)) return { items: [], problems: [{ path: 'touchpoints', message: 'is required: send { "touchpoints": [ ... ] }' }] };
  const root = new InputReader(body, '', problems);
  const list = root.value('touchpoints');
  root.finish();
  if (!Array.isArray(list)) {
    problems.unshift({ path: 'touchpoints', message: list === undefined ? 'is required' : 'must be an array' });
    return { items: [], problems };
  }
  if (list.length === 0 || list.length > MAX_TOUCHPOINTS) {
    const message = list.length === 0
      ? `must have 1 to ${MAX_TOUCHPOINTS} items`
      : `has ${list.length} items; at most ${MAX_TOUCHPOINTS} are taken in one request, so split it`;
    problems.unshift({ path: 'touchpoints', message });
    return { items: [], problems };
  }
  const latest = new Date(now.getTime() + MAX_FUTURE_MS);
  const items: TouchpointInput[] = [];
  list.forEach((raw, index) => {
    const item = parseItem(raw, index, latest, problems);
    if (item) items.push(item);
  });
  return { items, problems };
}

function parseItem(raw: unknown, index: number, latest: Date, problems: FieldProblem[]): TouchpointInput | null {
  const path = `touchpoints[${index}]`;
  if (!isPlainObject(raw)) {
    problems.push({ path, message: 'must be an object' });
    return null;
  }
  const before = problems.length;
  const item = new InputReader(raw, path, problems);
  const externalId = item.text('externalId', 200, true);
  const type = item.word('type', 32, true);
  const occurredAt = item.dateTime('occurredAt', latest, true);
  const { lead, named } = item.leadReference();
  const visitorId = item.text('visitorId', 200) ?? null;
  if (named === 0 && !item.has('visitorId')) item.fail(null, 'needs a lead (leadId, email or externalLeadId) or a visitorId');
  const campaignId = item.uuid('campaignId') ?? null;
  const utm = readUtm(item);
  const channel = item.word('channel', 32) ?? null;
  const url = readUrl(item);
  const properties = readProperties(item);
  item.finish();
  if (problems.length > before) return null;
  const extra: Record<string, unknown> = {};
  if (utm?.term) extra.utm_term = utm.term;
  if (utm?.content) extra.utm_content = utm.content;
  return {
    index,
    externalId: externalId!,
    type: type!,
    occurredAt: occurredAt!,
    lead,
    visitorId,
    campaignId,
    utm,
    channel,
    url,
    properties: { ...properties, ...extra },
  };
}

function readUtm(item: InputReader): Utm | null {
  const utm = item.object('utm');
  if (!utm) return null;
  const read = (field: string) => utm.text(field, 200) ?? null;
  const result = { source: read('source'), medium: read('medium'), campaign: read('campaign'), term: read('term'), content: read('content') };
  utm.finish();
  return Object.values(result).some((v) => v !== null) ? result : null;
}

function readUrl(item: InputReader): string | null {
  const url = item.text('url', MAX_URL);
  if (url === undefined) return null;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    item.fail('url', 'must be an absolute http or https URL');
    return null;
  }
  return url;
}

function readProperties(item: InputReader): Record<string, unknown> {
  if (!item.has('properties')) return {};
  const value = item.value('properties');
  if (!isPlainObject(value)) return item.fail('properties', 'must be an object'), {};
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > MAX_PROPERTIES_BYTES)
    return item.fail('properties', `must be at most ${MAX_PROPERTIES_BYTES / 1024} KB as JSON`), {};
  return value;
}

/** Checks `{ visitorId, leadId | email | externalLeadId }`. */
export function parseIdentify(body: unknown): { input: IdentifyInput | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!isPlainObject(body)) return { input: null, problems: [{ path: 'visitorId', message: 'is required' }] };
  const reader = new InputReader(body, '', problems);
  const visitorId = reader.text('visitorId', 200, true);
  const { lead, named } = reader.leadReference();
  if (named === 0) problems.push({ path: 'leadId', message: 'is required (or email, or externalLeadId)' });
  reader.finish();
  return problems.length > 0 || !lead || !visitorId ? { input: null, problems } : { input: { visitorId, lead }, problems };
}
