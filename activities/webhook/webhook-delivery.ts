import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { isPrivateAddress, publicOnlyLookup, ReceiverAddressError } from './receiver-address';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhookBody } from './webhook-signature';

/** A receiver gets this long to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** After this many attempts a receiver that keeps failing is given up on. */
export const MAX_DELIVERY_ATTEMPTS = 8;

export interface SignedRequest {
  url: string;
  /** The JSON body, exactly as sent and signed. */
  body: string;
  deliveryId: string;
  secret: string;
  /** Whether private and reserved addresses may be reached (`WEBHOOK_ALLOW_PRIVATE_ADDRESSES`). */
  allowPrivateAddresses: boolean;
}

/** The failure types a step reports: the receiver said no, or it could not be reached in time. */
export interface DeliveryFailureTypes {
  rejected: string;
  failed: string;
}

export type DeliveryAnswer =
  | { delivered: true; status: number }
  /**
   * `retry`: worth trying again later (5xx, 408, 429, no answer); otherwise the receiver refused.
   * `retryAfterMs`: when the receiver said when (`Retry-After`, seconds or a date).
   */
  | { delivered: false; retry: boolean; reason: string; retryAfterMs?: number };

/** The longest `Retry-After` honoured; a later one is taken as this. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** Statuses that say "not now" rather than "no". */
const isTransient = (status: number) => status >= 500 || status === 408 || status === 429;

/**
 * POSTs a signed JSON body and says what the answer means. Never throws for what the receiver
 * does (a refusal, a timeout, a reset connection); the reasons hold no URL, which can carry a
 * secret (chat webhook URLs do). Unless private addresses are allowed, a receiver whose address
 * is private or reserved is refused before anything is sent (checked on the addresses the
 * connection uses).
 */
export async function postSignedJson(request: SignedRequest): Promise<DeliveryAnswer> {
  const url = new URL(request.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!request.allowPrivateAddresses && isIP(host) !== 0 && isPrivateAddress(host))
    return { delivered: false, retry: false, reason: 'the receiver\'s address is private or reserved' };
  let response: IncomingMessage;
  try {
    response = await post(url, request);
  } catch (error) {
    if (error instanceof ReceiverAddressError) return { delivered: false, retry: false, reason: 'the receiver resolves to a private or reserved address' };
    const timedOut = [error, (error as Error)?.cause].some((e) => (e as Error | undefined)?.name === 'TimeoutError');
    const reason = timedOut ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : 'the receiver could not be reached';
    return { delivered: false, retry: true, reason };
  }
  // The answer's body is not needed; dropping it frees the connection.
  response.resume();
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return { delivered: true, status };
  const retry = isTransient(status);
  const header = response.headers['retry-after'];
  const retryAfterMs = retry ? retryAfter(typeof header === 'string' ? header : null, Date.now()) : null;
  return { delivered: false, retry, reason: `the receiver answered HTTP ${status}`, ...(retryAfterMs !== null ? { retryAfterMs } : {}) };
}

/** One POST with its signature headers; a redirect is an answer in itself (never followed). */
function post(url: URL, request: SignedRequest): Promise<IncomingMessage> {
  const body = Buffer.from(request.body, 'utf8');
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': String(body.length),
        'User-Agent': 'campaign-engine',
        [DELIVERY_HEADER]: request.deliveryId,
        [SIGNATURE_HEADER]: signWebhookBody(request.secret, request.body),
      },
      ...(request.allowPrivateAddresses ? {} : { lookup: publicOnlyLookup }),
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    req.once('response', resolve);
    req.once('error', (error: Error) => reject(error.cause instanceof ReceiverAddressError ? error.cause : error));
    req.end(body);
  });
}

/** A `Retry-After` header (RFC 9110: seconds, or an HTTP date) as milliseconds from `now`, at most `MAX_RETRY_AFTER_MS`; null if absent or unreadable. */
export function retryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  // Seconds, or an HTTP date (which names its weekday and month in letters).
  const ms = /^\d+$/.test(text) ? Number(text) * 1_000 : /[a-z]/i.test(text) ? Date.parse(text) - now : Number.NaN;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * The error to throw for an undelivered request: a retryable one while retries are worth it
 * (the workflow backs off, or waits as long as the receiver's `Retry-After` asked), a
 * non-retryable one when the receiver refused or after `MAX_DELIVERY_ATTEMPTS` attempts.
 * `attempt` is the step's try for this lead (`ActionInput.attempt`); without it, the activity's.
 */
export function deliveryFailure(answer: Extract<DeliveryAnswer, { delivered: false }>, types: DeliveryFailureTypes, attempt?: number): Error {
  if (!answer.retry) return ApplicationFailure.nonRetryable(`Delivery refused: ${answer.reason}`, types.rejected);
  const tries = attempt ?? Context.current().info.attempt;
  if (tries >= MAX_DELIVERY_ATTEMPTS)
    return ApplicationFailure.nonRetryable(`Delivery failed after ${tries} attempts: ${answer.reason}`, types.failed);
  return ApplicationFailure.create({
    message: `Delivery failed (attempt ${tries}): ${answer.reason}`,
    type: 'DeliveryDeferred',
    nonRetryable: false,
    ...(answer.retryAfterMs !== undefined ? { nextRetryDelay: answer.retryAfterMs } : {}),
  });
}
