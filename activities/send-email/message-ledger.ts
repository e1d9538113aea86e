import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral, type MessageStatus } from '@ce/db';

/**
 * The send ledger's writes, one statement each. Every change names the status it expects to
 * find, so a late or repeated write never moves a message backwards.
 */

export interface LedgerRow {
  id: string;
  status: MessageStatus;
}

/** A claimed row, and the lead's email consent read in the same statement. */
export interface ClaimedMessage extends LedgerRow {
  consent: string | null;
}

export interface MessageClaim {
  idempotencyKey: string;
  enrollmentId: string;
  campaignId: string;
  leadId: string;
  stepId: string;
}

/**
 * Finds the row of each (enrollment, step), making those there are none of yet (status
 * `sending`), and reads each lead's email consent with it, by idempotency key. One of the two
 * branches has each row: the insert's snapshot hides its new rows from the select.
 */
export async function claimMessages(em: EntityManager, claims: MessageClaim[]): Promise<Map<string, ClaimedMessage>> {
  if (claims.length === 0) return new Map();
  const conn = em.getConnection();
  const column = (pick: (c: MessageClaim) => string) => arrayLiteral(claims.map(pick));
  const keys = column((c) => c.idempotencyKey);
  const rows = await conn.execute<(ClaimedMessage & { idempotency_key: string })[]>(
    `with wanted as (
       select * from unnest(?::text[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[]) as w(key, enrollment_id, campaign_id, lead_id, step_id)
     ), made as (
       insert into messages (id, idempotency_key, enrollment_id, campaign_id, lead_id, step_id, channel, status)
       select gen_random_uuid(), key, enrollment_id, campaign_id, lead_id, step_id, 'email', 'sending' from wanted
       on conflict (idempotency_key) do nothing
       returning id, status, idempotency_key, lead_id
     ), found as (
       select id, status, idempotency_key, lead_id from made
       union all
       select m.id, m.status, m.idempotency_key, m.lead_id from messages m where m.idempotency_key = any(?::text[])
     )
     select f.id, f.status, f.idempotency_key, c.status as consent
     from found f left join lead_consents c on c.lead_id = f.lead_id and c.channel = 'email'`,
    [
      keys,
      column((c) => c.enrollmentId),
      column((c) => c.campaignId),
      column((c) => c.leadId),
      column((c) => c.stepId),
      keys,
    ],
  );
  const claimed = new Map(rows.map(({ idempotency_key, ...row }) => [idempotency_key, row]));
  const missing = claims.filter((c) => !claimed.has(c.idempotencyKey));
  if (missing.length > 0) {
    // Another attempt inserted them at the same moment, after this statement's snapshot was taken.
    const late = await conn.execute<(ClaimedMessage & { idempotency_key: string })[]>(
      `select m.id, m.status, m.idempotency_key, c.status as consent
       from messages m left join lead_consents c on c.lead_id = m.lead_id and c.channel = 'email'
       where m.idempotency_key = any(?::text[])`,
      [arrayLiteral(missing.map((c) => c.idempotencyKey))],
    );
    for (const { idempotency_key, ...row } of late) claimed.set(idempotency_key, row);
  }
  return claimed;
}

/** The lead's email consent as it is now. */
export async function emailConsent(em: EntityManager, leadId: string): Promise<string | null> {
  const [row] = await em.getConnection().execute<{ status: string }[]>(
    `select status from lead_consents where lead_id = ? and channel = 'email'`,
    [leadId],
  );
  return row?.status ?? null;
}

/** Not sent for lack of consent. */
export async function markSuppressed(em: EntityManager, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await em.getConnection().execute(`update messages set status = 'suppressed' where id = any(?::uuid[]) and status = 'sending'`, [arrayLiteral(ids)]);
}

/** Could not be built: the template is gone or does not render for this lead. */
export async function markFailed(em: EntityManager, id: string, error: string): Promise<void> {
  await em.getConnection().execute(`update messages set status = 'failed', error = ? where id = ? and status = 'sending'`, [
    error.slice(0, 1000),
    id,
  ]);
}

/** The server refused the message after the end of data with 4xx: it has not taken it, so it may go again. */
export async function revertHandOver(em: EntityManager, id: string, error: string): Promise<void> {
  await em.getConnection().execute(`update messages set status = 'sending', error = ? where id = ? and status = 'handed_over'`, [
    error.slice(0, 1000),
    id,
  ]);
}

/**
 * The server refused the address for good: the message is `bounced`, and so is the lead's
 * email consent (with a `consent_changed` event saying why), in one statement. Later sends to
 * the lead are then suppressed by the consent check.
 */
export async function recordBounce(em: EntityManager, id: string, reason: string): Promise<void> {
  const why = reason.slice(0, 1000);
  await em.getConnection().execute(
    `with bounced as (
       update messages set status = 'bounced', error = ? where id = ? and status in ('sending', 'handed_over')
       returning lead_id
     ), consent as (
       insert into lead_consents (id, lead_id, channel, status, changed_at, source)
       select gen_random_uuid(), lead_id, 'email', 'bounced', now(), 'bounce' from bounced
       on conflict (lead_id, channel) do update set status = 'bounced', changed_at = now(), source = 'bounce'
         where lead_consents.status <> 'bounced'
       returning lead_id
     )
     insert into lead_events (id, lead_id, type, occurred_at, data)
     select gen_random_uuid(), lead_id, 'consent_changed', now(),
            jsonb_build_object('channel', 'email', 'status', 'bounced', 'source', 'bounce', 'reason', ?::text, 'messageId', ?::text)
     from consent`,
    [why, id, why, id],
  );
}
