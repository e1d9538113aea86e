import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { LeadRecord } from './lead-record';
import { mergeByEmail } from './merge-records';
import { arrayLiteral } from '@ce/db';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export interface UpsertResult {
  email: string;
  id: string;
  outcome: UpsertOutcome;
}

/** Column order of the staging table and of the CSV rows copied into it. */
const STAGE_COLUMNS = [
  'ord',
  'email',
  'first_name',
  'last_name',
  'company',
  'job_title',
  'phone',
  'country',
  'time_zone',
  'source_channel',
  'lifecycle_stage',
  'owner_id',
  'attributes',
  'clear',
  'drop_attributes',
] as const;

const COLUMN_OF: Record<string, keyof LeadRecord> = {
  first_name: 'firstName',
  last_name: 'lastName',
  company: 'company',
  job_title: 'jobTitle',
  phone: 'phone',
  country: 'country',
  time_zone: 'timeZone',
  source_channel: 'sourceChannel',
  lifecycle_stage: 'lifecycleStage',
  owner_id: 'ownerId',
};
const PLAIN_COLUMNS = Object.keys(COLUMN_OF);
const UNIQUE_VIOLATION = '23505';

/**
 * Creates or updates many leads by email in one transaction. Fields a record leaves out are
 * kept and null clears one; attributes are merged key by key and null removes one; an external
 * id replaces the lead's id in that system. A record that changes nothing is `unchanged`, so
 * writing the same data twice changes nothing the second time.
 *
 * New leads are written with COPY straight into `leads`, the fastest way PostgreSQL takes
 * rows; existing ones travel by COPY into a staging table and are updated by one statement.
 * Should another writer create one of the "new" emails in between, the COPY fails on the
 * unique email and the batch falls back to an insert that skips taken emails.
 *
 * `records` must be valid (see parseLeadRecord) and each must have an email.
 */
export async function upsertLeads(client: ClientBase, records: LeadRecord[], source: string): Promise<UpsertResult[]> {
  if (records.length === 0) return [];
  const groups = mergeByEmail(records.map((record) => ({ record })));
  const merged = groups.map((g) => g.merged);

  await client.query('begin');
  try {
    // Each batch looks thousands of emails up by index. PostgreSQL's default random_page_cost
    // (4, for spinning disks) makes it prefer reading the whole leads table instead once that
    // table is large; within this transaction index lookups are costed as on SSDs.
    await client.query('set local random_page_cost = 1.1');
    const before = await client.query<{ id: string; email: string; lifecycle_stage: string; owner_id: string | null }>(
      'select id, email, lifecycle_stage, owner_id from leads where email = any($1::text[])',
      [merged.map((r) => r.email!)],
    );
    const existing = new Map(before.rows.map((r) => [r.email, r]));
    const fresh = merged.filter((r) => !existing.has(r.email!));
    const stale = merged.filter((r) => existing.has(r.email!));

    const created = await insertNewLeads(client, fresh);
    const changed = stale.length > 0 ? await updateLeads(client, stale) : [];

    const ids = new Map<string, string>([...before.rows, ...created].map((r) => [r.email, r.id]));
    const outcome = new Map<string, UpsertOutcome>();
    for (const row of created) outcome.set(row.email, 'created');
    for (const row of changed) if (!outcome.has(row.email)) outcome.set(row.email, 'updated');

    const idsChanged = await writeExternalIds(client, merged, ids);
    const consentChanged = await writeConsent(client, merged, ids, source);
    for (const email of [...idsChanged, ...consentChanged]) if (!outcome.has(email)) outcome.set(email, 'updated');

    await writeEvents(client, merged, ids, existing, source);
    await client.query('commit');

    // Every input record gets a result, duplicates included (they share their lead's).
    const byEmail = new Map(merged.map((r) => [r.email!, r]));
    return records.map((record) => ({
      email: record.email!,
      id: ids.get(record.email!)!,
      outcome: byEmail.has(record.email!) ? outcome.get(record.email!) ?? 'unchanged' : 'unchanged',
    }));
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/** New leads by COPY into `leads`; if an email was taken meanwhile, an insert that skips it. */
async function insertNewLeads(client: ClientBase, records: LeadRecord[]): Promise<{ id: string; email: string }[]> {
  if (records.length === 0) return [];
  const rows = records.map((record) => ({ id: randomUUID(), record }));
  await client.query('savepoint copy_new_leads');
  try {
    const copy = client.query(copyFrom(`copy leads (id, email, ${PLAIN_COLUMNS.join(', ')}, attributes) from stdin with (format csv)`));
    await pipeline(Readable.from(leadRows(rows)), copy);
    await client.query('release savepoint copy_new_leads');
    return rows.map(({ id, record }) => ({ id, email: record.email! }));
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await client.query('rollback to savepoint copy_new_leads');
  }
  await stage(client, records);
  const inserted = await client.query<{ id: string; email: string }>(
    `insert into leads (id, email, ${PLAIN_COLUMNS.join(', ')}, attributes)
     select gen_random_uuid(), s.email, ${PLAIN_COLUMNS.map((c) => (c === 'lifecycle_stage' ? `coalesce(s.lifecycle_stage, 'subscriber')` : `s.${c}`)).join(', ')},
            coalesce(s.attributes, '{}'::jsonb)
     from lead_stage s order by s.ord
     on conflict (email) do nothing
     returning id, email`,
  );
  await client.query('drop table lead_stage');
  return inserted.rows;
}

/** Existing leads: staged by COPY, then one update that touches only rows that change. */
async function updateLeads(client: ClientBase, records: LeadRecord[]): Promise<{ id: string; email: string }[]> {
  await stage(client, records);
  const changed = await client.query<{ id: string; email: string }>(
    `update leads l set
       ${PLAIN_COLUMNS.map((c) => `${c} = case when '${c}' = any(s.clear) then null else coalesce(s.${c}, l.${c}) end`).join(',\n       ')},
       attributes = (case when s.attributes is null then l.attributes else l.attributes || s.attributes end)
                    - coalesce(s.drop_attributes, '{}'::text[]),
       updated_at = now()
     from lead_stage s
     where l.email = s.email and l.email = any($1::text[]) and (
       ${PLAIN_COLUMNS.map((c) => `(s.${c} is not null and s.${c} is distinct from l.${c})`).join('\n       or ')}
       or ${PLAIN_COLUMNS.map((c) => `('${c}' = any(s.clear) and l.${c} is not null)`).join('\n       or ')}
       or (s.attributes is not null and not (l.attributes @> s.attributes))
       or (s.drop_attributes is not null and l.attributes ?| s.drop_attributes)
     )
     returning l.id, l.email`,
    [records.map((r) => r.email!)],
  );
  await client.query('drop table lead_stage');
  return changed.rows;
}

async function stage(client: ClientBase, records: LeadRecord[]): Promise<void> {
  await client.query(
    `create temp table lead_stage (
       ord int not null, email text not null, first_name text, last_name text, company text, job_title text,
       phone text, country text, time_zone text, source_channel text, lifecycle_stage text, owner_id uuid, attributes jsonb,
       clear text[], drop_attributes text[]
     ) on commit drop`,
  );
  const copy = client.query(copyFrom(`copy lead_stage (${STAGE_COLUMNS.join(', ')}) from stdin with (format csv)`));
  await pipeline(Readable.from(stageRows(records)), copy);
}

/** Rows for COPY into `leads`: id, email, the plain columns (stage defaults to subscriber), attributes. */
function* leadRows(rows: { id: string; record: LeadRecord }[]): Generator<string> {
  for (const { id, record } of rows) {
    const values: unknown[] = [id, record.email];
    for (const column of PLAIN_COLUMNS) {
      const value = record[COLUMN_OF[column]];
      values.push(column === 'lifecycle_stage' ? (value ?? 'subscriber') : value);
    }
    const attributes = Object.entries(record.attributes ?? {}).filter(([, value]) => value !== null);
    values.push(JSON.stringify(Object.fromEntries(attributes)));
    yield values.map(csvValue).join(',') + '\n';
  }
}

function* stageRows(records: LeadRecord[]): Generator<string> {
  let ord = 0;
  for (const record of records) {
    const values: unknown[] = [ord++, record.email];
    const clear: string[] = [];
    for (const column of PLAIN_COLUMNS) {
      const value = record[COLUMN_OF[column]];
      if (value === null) clear.push(column);
      values.push(value);
    }
    const attributes = Object.entries(record.attributes ?? {});
    const set = attributes.filter(([, value]) => value !== null);
    const drop = attributes.filter(([, value]) => value === null).map(([name]) => name);
    values.push(set.length > 0 ? JSON.stringify(Object.fromEntries(set)) : null);
    values.push(pgArray(clear));
    values.push(pgArray(drop));
    yield values.map(csvValue).join(',') + '\n';
  }
}

/** A text[] literal for COPY, or null when empty. */
function pgArray(items: string[]): string | null {
  return items.length === 0 ? null : arrayLiteral(items);
}

/** CSV for COPY: an unquoted empty field is NULL, anything else is quoted. */
function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return '"' + String(value).replace(/"/g, '""') + '"';
}

/**
 * Gives each lead the external ids its record names, one per source system, replacing an
 * older one. An id another lead already holds stays with that lead; the clash is recorded on
 * the new lead's record (and listed among likely duplicates). Returns the emails that changed.
 */
async function writeExternalIds(client: ClientBase, records: LeadRecord[], ids: Map<string, string>): Promise<Set<string>> {
  const wanted: { leadId: string; source: string; externalId: string }[] = [];
  for (const record of records) {
    for (const [source, externalId] of Object.entries(record.externalIds ?? {}))
      wanted.push({ leadId: ids.get(record.email!)!, source, externalId });
  }
  if (wanted.length === 0) return new Set();
  const columns = (rows: typeof wanted) => [rows.map((r) => r.leadId), rows.map((r) => r.source), rows.map((r) => r.externalId)];

  const held = await client.query<{ lead_id: string; source: string; external_id: string; owner: string }>(
    `select x.lead_id, x.source, x.external_id, e.lead_id as owner
     from unnest($1::uuid[], $2::text[], $3::text[]) as x(lead_id, source, external_id)
     join lead_external_ids e on e.source = x.source and e.external_id = x.external_id and e.lead_id <> x.lead_id`,
    columns(wanted),
  );
  const clash = new Set(held.rows.map((r) => `${r.lead_id}|${r.source}`));
  if (held.rows.length > 0) {
    await client.query(
      `insert into lead_events (id, lead_id, type, occurred_at, data)
       select gen_random_uuid(), x.lead_id, 'external_id_conflict', now(),
              jsonb_build_object('source', x.source, 'externalId', x.external_id, 'heldBy', x.owner)
       from unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) as x(lead_id, source, external_id, owner)`,
      [...columns(held.rows.map((r) => ({ leadId: r.lead_id, source: r.source, externalId: r.external_id }))), held.rows.map((r) => r.owner)],
    );
  }
  const free = wanted.filter((w) => !clash.has(`${w.leadId}|${w.source}`));
  if (free.length === 0) return new Set();
  await client.query(
    `delete from lead_external_ids e using unnest($1::uuid[], $2::text[], $3::text[]) as x(lead_id, source, external_id)
     where e.lead_id = x.lead_id and e.source = x.source and e.external_id <> x.external_id`,
    columns(free),
  );
  const added = await client.query<{ lead_id: string }>(
    `insert into lead_external_ids (id, lead_id, source, external_id)
     select gen_random_uuid(), x.lead_id, x.source, x.external_id
     from unnest($1::uuid[], $2::text[], $3::text[]) as x(lead_id, source, external_id)
     on conflict (source, external_id) do nothing
     returning lead_id`,
    columns(free),
  );
  const emailOf = new Map([...ids].map(([email, id]) => [id, email]));
  return new Set(added.rows.map((r) => emailOf.get(r.lead_id)!));
}

/** Returns the emails whose consent changed. */
async function writeConsent(client: ClientBase, records: LeadRecord[], ids: Map<string, string>, source: string): Promise<Set<string>> {
  const leadIds: string[] = [];
  const channels: string[] = [];
  const statuses: string[] = [];
  for (const record of records) {
    for (const [channel, status] of Object.entries(record.consent ?? {})) {
      leadIds.push(ids.get(record.email!)!);
      channels.push(channel);
      statuses.push(status!);
    }
  }
  if (leadIds.length === 0) return new Set();
  const changed = await client.query<{ lead_id: string; channel: string; status: string }>(
    `insert into lead_consents as c (id, lead_id, channel, status, changed_at, source)
     select gen_random_uuid(), x.lead_id, x.channel, x.status, now(), $4
     from unnest($1::uuid[], $2::text[], $3::text[]) as x(lead_id, channel, status)
     on conflict (lead_id, channel) do update
       set status = excluded.status, changed_at = excluded.changed_at, source = excluded.source
       where c.status is distinct from excluded.status
     returning lead_id, channel, status`,
    [leadIds, channels, statuses, source],
  );
  if (changed.rows.length > 0) {
    await client.query(
      `insert into lead_events (id, lead_id, type, occurred_at, data)
       select gen_random_uuid(), x.lead_id, 'consent_changed', now(), jsonb_build_object('channel', x.channel, 'status', x.status, 'source', $4::text)
       from unnest($1::uuid[], $2::text[], $3::text[]) as x(lead_id, channel, status)`,
      [changed.rows.map((r) => r.lead_id), changed.rows.map((r) => r.channel), changed.rows.map((r) => r.status), source],
    );
  }
  const emailOf = new Map([...ids].map(([email, id]) => [id, email]));
  return new Set(changed.rows.map((r) => emailOf.get(r.lead_id)!));
}

async function writeEvents(
  client: ClientBase,
  records: LeadRecord[],
  ids: Map<string, string>,
  before: Map<string, { lifecycle_stage: string; owner_id: string | null }>,
  source: string,
): Promise<void> {
  const leadIds: string[] = [];
  const types: string[] = [];
  const data: string[] = [];
  for (const record of records) {
    const was = before.get(record.email!);
    if (!was) continue;
    if (record.lifecycleStage && was.lifecycle_stage !== record.lifecycleStage) {
      leadIds.push(ids.get(record.email!)!);
      types.push('stage_changed');
      data.push(JSON.stringify({ from: was.lifecycle_stage, to: record.lifecycleStage, source }));
    }
    if (record.ownerId !== undefined && was.owner_id !== record.ownerId) {
      leadIds.push(ids.get(record.email!)!);
      types.push('owner_changed');
      data.push(JSON.stringify({ from: was.owner_id, to: record.ownerId, source }));
    }
  }
  if (leadIds.length === 0) return;
  await client.query(
    `insert into lead_events (id, lead_id, type, occurred_at, data)
     select gen_random_uuid(), x.lead_id, x.type, now(), x.data
     from unnest($1::uuid[], $2::text[], $3::jsonb[]) as x(lead_id, type, data)`,
    [leadIds, types, data],
  );
}
