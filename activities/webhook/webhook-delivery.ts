import { ApplicationFailure, Context } from '@temporalio/activity';
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
}

/** The failure types a step reports: the receiver said no, or it could not be reached in time. */
export interface DeliveryFailureTypes {
  rejected: string;
  failed: string;
}

export type DeliveryAnswer =
  | { delivered: true; status: number }
  /** `retry`: worth trying again later (5xx, 408, 429, no answer); otherwise the receiver refused. */
  | { delivered: false; retry: boolean; reason: string };

/** Statuses that say "not now" rather than "no". */
const isTransient = (status: number) => status >= 500 || status === 408 || status === 429;

/**
 * POSTs a signed JSON body and says what the answer means. Never throws for what the receiver
 * does (a refusal, a timeout, a reset connection); the reasons hold no URL, which can carry a
 * secret (chat webhook URLs do).
 */
export async function postSignedJson(request: SignedRequest): Promise<DeliveryAnswer> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'campaign-engine',
        [DELIVERY_HEADER]: request.deliveryId,
        [SIGNATURE_HEADER]: signWebhookBody(request.secret, request.body),
      },
      body: request.body,
      // A redirect is an answer in itself: a POST is not re-sent elsewhere.
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
  } catch (error) {
    const name = (error as Error)?.name;
    const reason = name === 'TimeoutError' ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : 'the receiver could not be reached';
    return { delivered: false, retry: true, reason };
  }
  // The answer's body is not needed; dropping it frees the connection.
  await response.body?.cancel().catch(() => undefined);
  const status = response.status;
  if (status >= 200 && status < 300) return { delivered: true, status };
  return { delivered: false, retry: isTransient(status), reason: `the receiver answered HTTP ${status}` };
}

/**
 * The error to throw for an undelivered request: a plain error while retries are worth it (the
 * workflow's retry policy backs off), a non-retryable one when the receiver refused or after
 * `MAX_DELIVERY_ATTEMPTS` attempts.
 */
export function deliveryFailure(answer: Extract<DeliveryAnswer, { delivered: false }>, types: DeliveryFailureTypes): Error {
  if (!answer.retry) return ApplicationFailure.nonRetryable(`Delivery refused: ${answer.reason}`, types.rejected);
  const attempt = Context.current().info.attempt;
  if (attempt >= MAX_DELIVERY_ATTEMPTS)
    return ApplicationFailure.nonRetryable(`Delivery failed after ${attempt} attempts: ${answer.reason}`, types.failed);
  return new Error(`Delivery failed (attempt ${attempt}): ${answer.reason}`);
}
