import type { ClientBase } from 'pg';
import { DEFAULT_LOOKBACK_MS } from '@ce/attribution';
import { inPgTransaction } from '@ce/db';
import type { LeadReference } from './input-reader';

/** Rows per insert statement: 1,000 rows × 12 arrays stays far below every limit. */
export const INSERT_CHUNK = 1_000;

/** A touchpoint ready to be written: its lead and campaign resolved, its channel decided. */
export interface TouchpointRow {
  externalId: string;
  leadId: string | null;
  visitorId: string | null;
  source: string | null;
  medium: string | null;
  utmCampaign: string | null;
  campaignId: string | null;
  channel: string;
  type: string;
  occurredAt: Date;
  url: string | null;
  properties: Record<string, unknown>;
}

/** A touchpoint that now belongs to a lead: stored with one, or joined to one. */
export interface LeadTouch {
  id: string;
  leadId: string;
  occurredAt: Date;
}

export interface StoredRow {
  id: string;
  externalId: string;
  leadId: string | null;
  occurredAt: Date;
}

/** The key a lead reference is looked up by. */
export function leadKey(ref: LeadReference): string {
  switch (ref.kind) {
    case 'id':
      return `id:${ref.id}`;
    case 'email':
      return `email:${ref.email}`;
    case 'external':
      return `external:${ref.source}\u0000${ref.id}`;
  }
}

/**
 * Finds the leads that references name, one query per kind of reference: by id, by normalised
 * email, by external id (source and id, as in `lead_external_ids`). Returns reference key → lead id;
 * a reference that matches no lead is absent. The leads found are held (for key share) until the
 * transaction ends, so none is erased before its touchpoints are written.
 */
export async function resolveLeads(client: ClientBase, refs: readonly LeadReference[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const ids = unique(refs.flatMap((r) => (r.kind === 'id' ? [r.id] : [])));
  const emails = unique(refs.flatMap((r) => (r.kind === 'email' ? [r.email] : [])));
  const externals = uniqueBy(refs.flatMap((r) => (r.kind === 'external' ? [r] : [])), (r) => leadKey(r));
  if (ids.length > 0) {
    const rows = await client.query<{ id: string }>('select id from leads where id = any($1::uuid[]) for key share', [ids]);
    for (const row of rows.rows) found.set(`id:${row.id}`, row.id);
  }
  if (emails.length > 0) {
    const rows = await client.query<{ id: string; email: string }>('select id, email from leads where email = any($1::text[]) for key share', [emails]);
    for (const row of rows.rows) found.set(`email:${row.email}`, row.id);
  }
  if (externals.length > 0) {
    const rows = await client.query<{ source: string; external_id: string; lead_id: string }>(
      `select x.source, x.external_id, e.lead_id
       from unnest($1::text[], $2::text[]) as x(source, external_id)
       join lead_external_ids e on e.source = x.source and e.external_id = x.external_id
       join leads l on l.id = e.lead_id
       for key share of l`,
      [externals.map((r) => r.source), externals.map((r) => r.id)],
    );
    for (const row of rows.rows) found.set(leadKey({ kind: 'external', path: '', source: row.source, id: row.external_id }), row.lead_id);
  }
  return found;
}

/** The ids among these that are campaigns. */
export async function existingCampaigns(client: ClientBase, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await client.query<{ id: string }>('select id from campaigns where id = any($1::uuid[]) for key share', [unique(ids)]);
  return new Set(rows.rows.map((r) => r.id));
}

/**
 * Campaigns named by `utm_campaign` values: a campaign whose name is the value, ignoring case;
 * when several campaigns have that name, the one created last. Returns value → campaign id.
 */
export async function campaignsByUtm(client: ClientBase, values: readonly string[]): Promise<Map<string, string>> {
  if (values.length === 0) return new Map();
  const rows = await client.query<{ value: string; id: string }>(
    `select u.value, c.id
     from unnest($1::text[]) as u(value)
     join campaigns c on lower(c.name) = lower(u.value)
     order by c.created_at, c.id
     for key share of c`,
    [unique(values)],
  );
  // In creation order, so the campaign created last wins.
  return new Map(rows.rows.map((r) => [r.value, r.id]));
}

/**
 * Writes touchpoints in statements of `INSERT_CHUNK` rows; one whose external id is stored
 * already is skipped by the unique key. Rows go in external id order, so two requests that
 * share external ids wait for each other instead of deadlocking. Returns the rows written.
 */
export async function insertTouchpoints(client: ClientBase, rows: readonly TouchpointRow[]): Promise<StoredRow[]> {
  const stored: StoredRow[] = [];
  const ordered = [...rows].sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
  for (let start = 0; start < ordered.length; start += INSERT_CHUNK) {
    const chunk = ordered.slice(start, start + INSERT_CHUNK);
    const column = <T>(pick: (r: TouchpointRow) => T) => chunk.map(pick);
    const result = await client.query<{ id: string; external_id: string; lead_id: string | null; occurred_at: Date }>(
      `insert into touchpoints (id, lead_id, visitor_id, source, medium, utm_campaign, campaign_id, channel, type, occurred_at, url, external_id, properties)
       select gen_random_uuid(), x.lead_id, x.visitor_id, x.source, x.medium, x.utm_campaign, x.campaign_id, x.channel, x.type, x.occurred_at, x.url, x.external_id, x.properties::jsonb
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::text[], $12::text[])
         as x(lead_id, visitor_id, source, medium, utm_campaign, campaign_id, channel, type, occurred_at, url, external_id, properties)
       on conflict (external_id) do nothing
       returning id, external_id, lead_id, occurred_at`,
      [
        column((r) => r.leadId),
        column((r) => r.visitorId),
        column((r) => r.source),
        column((r) => r.medium),
        column((r) => r.utmCampaign),
        column((r) => r.campaignId),
        column((r) => r.channel),
        column((r) => r.type),
        column((r) => r.occurredAt.toISOString()),
        column((r) => r.url),
        column((r) => r.externalId),
        column((r) => JSON.stringify(r.properties)),
      ],
    );
    for (const row of result.rows)
      stored.push({ id: row.id, externalId: row.external_id, leadId: row.lead_id, occurredAt: new Date(row.occurred_at) });
  }
  return stored;
}

/**
 * Gives every anonymous touchpoint of each visitor to the lead the visitor turned out to be, in
 * one statement. `visitors` maps visitor id → lead id. Returns the touchpoints joined.
 */
export async function joinVisitors(client: ClientBase, visitors: ReadonlyMap<string, string>): Promise<LeadTouch[]> {
  if (visitors.size === 0) return [];
  const result = await client.query<{ id: string; lead_id: string; occurred_at: Date }>(
    `update touchpoints t set lead_id = x.lead_id
     from unnest($1::text[], $2::uuid[]) as x(visitor_id, lead_id)
     where t.visitor_id = x.visitor_id and t.lead_id is null
     returning t.id, t.lead_id, t.occurred_at`,
    [[...visitors.keys()], [...visitors.values()]],
  );
  return result.rows.map((r) => ({ id: r.id, leadId: r.lead_id, occurredAt: new Date(r.occurred_at) }));
}

/**
 * The conversions whose look-back window (the attribution settings' days before them, as
 * attribution uses) holds one of these touches of their lead: their credits are out of date.
 */
export async function conversionsToReattribute(client: ClientBase, touches: readonly LeadTouch[]): Promise<string[]> {
  if (touches.length === 0) return [];
  // One touch per lead and instant is enough to decide.
  const distinct = uniqueBy(touches, (t) => `${t.leadId}|${t.occurredAt.getTime()}`);
  const result = await client.query<{ id: string }>(
    `select distinct c.id
     from unnest($1::uuid[], $2::timestamptz[]) as x(lead_id, occurred_at)
     join conversions c on c.lead_id = x.lead_id
       and c.occurred_at >= x.occurred_at
       and c.occurred_at <= x.occurred_at + coalesce((select s.lookback_days * interval '1 day' from attribution_settings s where s.id = 1), $3::bigint * interval '1 millisecond')
     order by c.id`,
    [distinct.map((t) => t.leadId), distinct.map((t) => t.occurredAt.toISOString()), DEFAULT_LOOKBACK_MS],
  );
  return result.rows.map((r) => r.id);
}

const DEADLOCK_DETECTED = '40P01';
const ATTEMPTS = 3;

/**
 * Runs `work` in one transaction on the client: all of it is written, or none. A transaction
 * PostgreSQL ends to break a deadlock with another request is run again from the start.
 */
export async function inTransaction<T>(client: ClientBase, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inPgTransaction(client, work);
    } catch (error) {
      if ((error as { code?: unknown }).code !== DEADLOCK_DETECTED || attempt >= ATTEMPTS) throw error;
    }
  }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function uniqueBy<T>(values: readonly T[], key: (value: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const value of values) if (!seen.has(key(value))) seen.set(key(value), value);
  return [...seen.values()];
}
