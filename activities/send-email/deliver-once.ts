import type { EntityManager } from '@mikro-orm/postgresql';
import type { Transporter } from 'nodemailer';
import type { ClientBase } from 'pg';
import { withPgClient, type MessageStatus } from '@ce/db';
import { DeliveryInfo, RawEmail, sendWithHandOver } from './hand-over';

export type Delivery =
  /**
   * The server answered the end of the message with 2xx. `marked`: the ledger holds its
   * `handed_over` mark (the `sent` record follows with the batch's others, `recordSent`).
   */
  | { kind: 'delivered'; info: DeliveryInfo; marked: boolean }
  /**
   * The send failed. `handedOver`: the end of the message had been written before the
   * failure, so the server may hold the message after all; `recorded`: the ledger says so.
   */
  | { kind: 'failed'; error: unknown; handedOver: boolean; recorded: boolean };

// A lock is named by its message's id (64 of its random bits).
const LOCK_KEY = `('x' || left(replace(id::text, '-', ''), 16))::bit(64)::bigint`;
const TRY_LOCKS = `select id from unnest($1::uuid[]) as ids(id) where pg_try_advisory_lock(${LOCK_KEY})`;
const UNLOCKS = `select pg_advisory_unlock(${LOCK_KEY}) from unnest($1::uuid[]) as ids(id)`;
const STATUSES = `select id, status from messages where id = any($1::uuid[])`;
const HAND_OVER = `update messages set status = 'handed_over' where id = any($1::uuid[]) and status = 'sending'`;
// A second try of the mark, on another connection of the pool.
const HAND_OVER_AGAIN = `update messages set status = 'handed_over' where id = ? and status = 'sending'`;
const MARK_SENT = `update messages m set status = 'sent', subject = x.subject, provider_message_id = x.provider_id, sent_at = x.at, error = null
  from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) as x(id, subject, provider_id, at)
  where m.id = x.id and m.status in ('sending', 'handed_over')`;

/** What the ledger records of a delivered message. */
export interface SentRecord {
  id: string;
  subject: string;
  providerId: string | null;
  at: Date;
}

/**
 * Takes the locks of the messages one connection is about to send, so that a second attempt at
 * any of them (a retry started while a slow one is still talking to the server) finds it busy
 * instead of sending alongside; then reads, under the locks, the status of those it holds. Only
 * `sending` may go; ids missing from the answer are busy.
 */
export async function lockMessages(client: ClientBase, ids: string[]): Promise<Map<string, MessageStatus | null>> {
  const { rows: locked } = await client.query<{ id: string }>(TRY_LOCKS, [ids]);
  const held = new Map<string, MessageStatus | null>(locked.map((row) => [row.id, null]));
  if (held.size === 0) return held;
  // A statement of its own: its snapshot is taken with the locks held, so it sees every mark
  // that an attempt before this one committed before letting go.
  const { rows } = await client.query<{ id: string; status: MessageStatus }>(STATUSES, [[...held.keys()]]);
  for (const row of rows) held.set(row.id, row.status);
  return held;
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
 * Writes the `handed_over` marks of one batch's messages on the connection that holds their
 * locks, a group at a time: the messages whose last byte went out in the same turn of the event
 * loop get one statement, and their end-of-data dots are released right after it, in the same
 * synchronous turn. While a group's statement is on its way the next group gathers, so the
 * connection is always idle when a mark is written: `pg` puts a statement on its socket at once
 * only then. Fewer statements than messages, and the order that matters — the mark before the
 * dot — holds for every message.
 */
export class HandOverMarks {
  private waiting: { id: string; end: (error?: Error) => void; recorded: (ok: boolean) => void }[] = [];
  private writing = false;
  private scheduled = false;

  constructor(private readonly client: ClientBase) {}

  /** Marks the message, then ends it; resolves whether the mark was recorded. */
  mark(id: string, end: (error?: Error) => void): Promise<boolean> {
    return new Promise((recorded) => {
      this.waiting.push({ id, end, recorded });
      if (!this.scheduled) {
        this.scheduled = true;
        // Lets every lane whose last byte is in this turn join the group.
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    if (this.writing || this.waiting.length === 0) return;
    const group = this.waiting.splice(0);
    this.writing = true;
    let written: Promise<unknown>;
    try {
      // pg writes the statement to its socket before query() returns.
      // A named statement: parsed once per connection, then only bound and run.
      written = this.client.query({ name: 'ce_hand_over', text: HAND_OVER, values: [group.map((m) => m.id)] });
    } catch (error) {
      for (const m of group) m.end(error as Error);
      this.writing = false;
      return;
    }
    for (const m of group) m.end();
    written.then(
      () => group.forEach((m) => m.recorded(true)),
      () => group.forEach((m) => m.recorded(false)),
    ).finally(() => {
      this.writing = false;
      this.flush();
    });
  }
}

/**
 * Sends one ledger row's message at most once, whatever happens to this process. The message
 * is locked by the connection behind `marks`, which read its status `sending` under the lock
 * (`lockMessages`).
 *
 * 1. Let nodemailer do MAIL FROM, RCPT TO and DATA and write the whole body.
 * 2. When the transport asks for more after the last byte, write the `handed_over` mark (with
 *    those of other messages at the same point, `HandOverMarks`) and end the message in the
 *    same turn: the mark goes out before the end-of-data dot, and the two leave microseconds
 *    apart.
 * 3. Wait for both: the server's answer and the mark's.
 *
 * A process that dies before the mark was written leaves `sending`, and the server never saw
 * the dot, so it discarded the message: sending again is safe. One that dies after both were
 * written leaves `handed_over`, and a retry does not send again. See docs/email-delivery.md.
 */
export async function deliverLocked(marks: HandOverMarks, em: EntityManager, mailer: Transporter, id: string, email: RawEmail): Promise<Delivery> {
  let mark: Promise<boolean> | null = null;
  let info: DeliveryInfo | null = null;
  let sendError: unknown = null;
  try {
    info = await sendWithHandOver(mailer, email, (end) => {
      mark = marks.mark(id, end);
    });
  } catch (error) {
    sendError = error;
  }
  const handedOver = mark !== null;
  // If the mark was lost (the connection broke in that instant), write it again on another.
  const recorded = handedOver && ((await mark!) || (await succeeds(em.getConnection().execute(HAND_OVER_AGAIN, [id]))));
  if (!info) return { kind: 'failed', error: sendError, handedOver, recorded };
  return { kind: 'delivered', info, marked: recorded };
}

/**
 * Records delivered messages as `sent`, with the server's id for each and when it answered, in
 * one statement on the batch's connection (or, failing that, on another). Answers whether it
 * could: if not, the rows keep `handed_over`, which is never sent again either.
 */
export async function recordSent(client: ClientBase | null, em: EntityManager, records: SentRecord[]): Promise<boolean> {
  if (records.length === 0) return true;
  // pg sends JavaScript arrays (nulls included) as PostgreSQL arrays.
  const params = [records.map((r) => r.id), records.map((r) => r.subject), records.map((r) => r.providerId), records.map((r) => r.at)];
  if (client && (await succeeds(client.query(MARK_SENT, params)))) return true;
  return succeeds(withPgClient(em, (other) => other.query(MARK_SENT, params)));
}

const succeeds = (work: Promise<unknown>): Promise<boolean> => work.then(() => true, () => false);
