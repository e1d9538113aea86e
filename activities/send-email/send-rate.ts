import { ApplicationFailure, Context } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Waits up to this long inside the activity; a later slot is left to a retry at that time. */
export const MAX_WAIT_IN_ACTIVITY_MS = 30_000;
const HEARTBEAT_EVERY_MS = 5_000;

export interface SendSlot {
  notBefore: Date;
  /** How long until then, by the database's clock (≤ 0: now). */
  waitMs: number;
}

/**
 * A campaign's send rate: each message takes the next free slot of its campaign, one interval
 * after the last one taken (or now, if that is later). The slot is taken once per message, in
 * the statement that records it in `messages.not_before`, so a retry keeps its place instead of
 * taking another.
 */
export async function reserveSendSlot(em: EntityManager, messageId: string, campaignId: string, perMinute: number): Promise<SendSlot> {
  const intervalMs = 60_000 / perMinute;
  const conn = em.getConnection();
  await conn.execute(
    `with slot as (
       insert into send_rate_slots (key, next_at)
       select ?, now() + ? * interval '1 millisecond'
       where exists (select 1 from messages where id = ? and not_before is null)
       on conflict (key) do update set next_at = greatest(now(), send_rate_slots.next_at) + ? * interval '1 millisecond'
       returning next_at - ? * interval '1 millisecond' as at
     )
     update messages set not_before = slot.at from slot where messages.id = ? and messages.not_before is null`,
    [`campaign:${campaignId}`, intervalMs, messageId, intervalMs, intervalMs, messageId],
  );
  const [row] = await conn.execute<{ not_before: Date | string; wait_ms: string | number }[]>(
    `select not_before, extract(epoch from (not_before - clock_timestamp())) * 1000 as wait_ms from messages where id = ?`,
    [messageId],
  );
  return { notBefore: new Date(row.not_before), waitMs: Number(row.wait_ms) };
}

/**
 * Holds the send until its slot: a short wait here, heartbeating; a long one as a retry that
 * Temporal schedules for the slot's time, so no worker slot sits idle meanwhile.
 * Returns true if it waited.
 */
export async function waitForSlot(slot: SendSlot): Promise<boolean> {
  if (slot.waitMs <= 0) return false;
  if (slot.waitMs > MAX_WAIT_IN_ACTIVITY_MS) {
    throw ApplicationFailure.create({
      message: `The campaign's send rate puts this message at ${slot.notBefore.toISOString()}`,
      type: 'SendRateLimited',
      nonRetryable: false,
      nextRetryDelay: Math.ceil(slot.waitMs),
    });
  }
  const context = Context.current();
  const until = Date.now() + slot.waitMs;
  for (let left = slot.waitMs; left > 0; left = until - Date.now()) {
    context.heartbeat();
    // Rejects if the activity is cancelled meanwhile.
    await context.sleep(Math.min(left, HEARTBEAT_EVERY_MS));
  }
  return true;
}

/** Slots of the overall send rate taken together: the first is `firstInMs` from now, the rest follow `intervalMs` apart. */
export interface SlotRun {
  firstInMs: number;
  intervalMs: number;
}

/**
 * Takes `count` consecutive slots of the overall send rate (`EMAIL_RATE_PER_SECOND`), shared by
 * every worker through one row, in one statement: a batch pays one round trip for all its
 * messages, and batches on other workers take the slots after.
 */
export async function reserveOverallSlots(em: EntityManager, count: number, perSecond: number): Promise<SlotRun> {
  const intervalMs = 1_000 / perSecond;
  const spanMs = count * intervalMs;
  const [row] = await em.getConnection().execute<{ first_in_ms: string | number }[]>(
    `insert into send_rate_slots (key, next_at) values ('overall', clock_timestamp() + ? * interval '1 millisecond')
     on conflict (key) do update set next_at = greatest(clock_timestamp(), send_rate_slots.next_at) + ? * interval '1 millisecond'
     returning extract(epoch from (next_at - clock_timestamp())) * 1000 - ? as first_in_ms`,
    [spanMs, spanMs, spanMs],
  );
  return { firstInMs: Math.max(0, Number(row.first_in_ms)), intervalMs };
}

/** Sleeps until `at` (this process's clock, ms), heartbeating meanwhile. */
export async function sleepUntil(at: number): Promise<void> {
  const context = Context.current();
  for (let left = at - Date.now(); left >= 1; left = at - Date.now()) {
    context.heartbeat();
    await context.sleep(Math.min(left, HEARTBEAT_EVERY_MS));
  }
}
