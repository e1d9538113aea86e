import type { EntityManager } from '@mikro-orm/postgresql';
import type { Transporter } from 'nodemailer';
import type { ClientBase } from 'pg';
import type { MessageStatus } from '@ce/db';
import { DeliveryInfo, RawEmail, sendWithHandOver } from './hand-over';

export type Delivery =
  /**
   * The server answered the end of the message with 2xx. `recorded` says what the ledger
   * knows: `sent`, or only `handed_over` (the final write failed), or nothing (`sending`:
   * neither the hand-over mark nor anything after it could be written).
   */
  | { kind: 'delivered'; info: DeliveryInfo; recorded: 'sent' | 'handed_over' | 'nothing' }
  /** Someone already handed this message over (or settled it otherwise); nothing was sent. */
  | { kind: 'settled'; status: MessageStatus }
  /**
   * The send failed. `handedOver`: the end of the message had been written before the
   * failure, so the server may hold the message after all; `recorded`: the ledger says so.
   */
  | { kind: 'failed'; error: unknown; handedOver: boolean; recorded: boolean };

// A lock is named by its message's id (64 of its random bits).
const LOCK_KEY = `('x' || left(replace(id::text, '-', ''), 16))::bit(64)::bigint`;
const TRY_LOCKS = `select id, pg_try_advisory_lock(${LOCK_KEY}) as locked from unnest($1::uuid[]) as ids(id)`;
const UNLOCKS = `select pg_advisory_unlock(${LOCK_KEY}) from unnest($1::uuid[]) as ids(id)`;
const HAND_OVER = `update messages set status = 'handed_over' where id = $1 and status = 'sending'`;
const MARK_SENT = `update messages set status = 'sent', subject = $2, provider_message_id = $3, sent_at = now(), error = null
  where id = $1 and status in ('sending', 'handed_over')`;
// The same two writes, for a second try on another connection of the pool.
const HAND_OVER_AGAIN = `update messages set status = 'handed_over' where id = ? and status = 'sending'`;
const MARK_SENT_AGAIN = `update messages set status = 'sent', subject = ?, provider_message_id = ?, sent_at = now(), error = null
  where id = ? and status in ('sending', 'handed_over')`;

/** The ledger row being sent, and what to record on it once delivered. */
export interface LedgerMessage {
  id: string;
  subject: string;
}

/**
 * Takes the locks of the messages one connection is about to send, so that a second attempt at
 * any of them (a retry started while a slow one is still talking to the server) finds it busy
 * instead of sending alongside. Answers the ids whose lock it holds; the others are busy.
 */
export async function lockMessages(client: ClientBase, ids: string[]): Promise<Set<string>> {
  const { rows } = await client.query<{ id: string; locked: boolean }>(TRY_LOCKS, [ids]);
  return new Set(rows.filter((row) => row.locked).map((row) => row.id));
}

/** Lets the locks go; a connection that cannot is closed, which lets them go too. */
export async function unlockMessages(client: ClientBase, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await client.query(UNLOCKS, [ids]).catch(() => {
    // A connection that cannot unlock must not go back to the pool holding the locks.
    void (client as ClientBase & { end(): Promise<void> }).end().catch(() => undefined);
  });
}

/**
 * Sends one ledger row's message at most once, whatever happens to this process. `client` is
 * a connection of its own, idle, that holds the message's lock (`lockMessages`).
 *
 * 1. Read the status under the lock: only `sending` goes ahead.
 * 2. Let nodemailer do MAIL FROM, RCPT TO and DATA and write the whole body.
 * 3. When the transport asks for more after the last byte, write the `handed_over` mark on that
 *    connection — without waiting for it — and end the message in the same turn: the mark
 *    goes out before the end-of-data dot, and the two leave microseconds apart. (This is why
 *    the connection must be idle: `pg` writes a statement to its socket at once only then.)
 * 4. Wait for both: the server's answer and the mark's. On 2xx, record `sent` with the
 *    server's id for the message.
 *
 * A process that dies before the mark was written leaves `sending`, and the server never saw
 * the dot, so it discarded the message: sending again is safe. One that dies after both were
 * written leaves `handed_over`, and a retry does not send again. See docs/email-delivery.md.
 */
export async function deliverLocked(
  client: ClientBase,
  em: EntityManager,
  mailer: Transporter,
  message: LedgerMessage,
  email: RawEmail,
): Promise<Delivery> {
  const { id } = message;
  const { rows } = await client.query<{ status: MessageStatus }>('select status from messages where id = $1', [id]);
  const status = rows[0]?.status;
  // A row gone meanwhile (the lead was erased) is settled too: nothing is to be sent.
  if (status !== 'sending') return { kind: 'settled', status: status ?? 'suppressed' };

  let mark: Promise<unknown> | null = null;
  const markHandedOver = () => {
    // pg writes the statement to its socket before query() returns; not awaited here on purpose.
    mark = client.query(HAND_OVER, [id]);
    // Awaited below; until then a failure must not count as unhandled.
    mark.catch(() => undefined);
  };
  let info: DeliveryInfo | null = null;
  let sendError: unknown = null;
  try {
    info = await sendWithHandOver(mailer, email, markHandedOver);
  } catch (error) {
    sendError = error;
  }
  const handedOver = mark !== null;
  // If the mark was lost (the connection broke in that instant), write it again on another.
  const recorded = handedOver && ((await succeeds(mark!)) || (await succeeds(em.getConnection().execute(HAND_OVER_AGAIN, [id]))));
  if (!info) return { kind: 'failed', error: sendError, handedOver, recorded };

  const providerId = typeof info.messageId === 'string' ? info.messageId : null;
  if (await succeeds(client.query(MARK_SENT, [id, message.subject, providerId]))) return { kind: 'delivered', info, recorded: 'sent' };
  const sent = await succeeds(em.getConnection().execute(MARK_SENT_AGAIN, [message.subject, providerId, id]));
  return { kind: 'delivered', info, recorded: sent ? 'sent' : recorded ? 'handed_over' : 'nothing' };
}

const succeeds = (work: Promise<unknown>): Promise<boolean> => work.then(() => true, () => false);

/** A raw `pg` connection from the ORM's pool, held for the whole of `work` and returned after. */
export async function withOwnConnection<T>(em: EntityManager, work: (client: ClientBase) => Promise<T>): Promise<T> {
  const pool = em.getConnection().getKnex().client as {
    acquireConnection(): Promise<ClientBase>;
    releaseConnection(connection: ClientBase): Promise<void>;
  };
  const client = await pool.acquireConnection();
  try {
    return await work(client);
  } finally {
    await pool.releaseConnection(client);
  }
}
