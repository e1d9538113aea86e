import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageStatus } from '@ce/db';

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
 * Finds the row of this (enrollment, step), making it (status `sending`) if there is none yet,
 * and reads the lead's email consent with it. One of the two branches has the row: the
 * insert's snapshot hides a new row from the select.
 */
export async function claimMessage(em: EntityManager, claim: MessageClaim): Promise<ClaimedMessage> {
  const conn = em.getConnection();
  const rows = await conn.execute<ClaimedMessage[]>(
    `with made as (
       insert into messages (id, idempotency_key, enrollment_id, campaign_id, lead_id, step_id, channel, status)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, 'email', 'sending')
       on conflict (idempotency_key) do nothing
       returning id, status
     )
     select row.id, row.status, (select status from lead_consents where lead_id = ? and channel = 'email') as consent
     from (select id, status from made union all select id, status from messages where idempotency_key = ?) row`,
    [claim.idempotencyKey, claim.enrollmentId, claim.campaignId, claim.leadId, claim.stepId, claim.leadId, claim.idempotencyKey],
  );
  if (rows[0]) return rows[0];
  // Another attempt inserted it at the same moment, after this statement's snapshot was taken.
  const [row] = await conn.execute<ClaimedMessage[]>(
    `select id, status, (select status from lead_consents where lead_id = ? and channel = 'email') as consent
     from messages where idempotency_key = ?`,
    [claim.leadId, claim.idempotencyKey],
  );
  return row;
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
export async function markSuppressed(em: EntityManager, id: string): Promise<void> {
  await em.getConnection().execute(`update messages set status = 'suppressed' where id = ? and status = 'sending'`, [id]);
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
