import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How receivers know a webhook (or chat) request came from this engine and was not replayed:
 *
 *   X-Campaign-Engine-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">
 *
 * keyed with the shared `WEBHOOK_SECRET`. A receiver recomputes the HMAC over the raw bytes it
 * received (before parsing the JSON) and rejects timestamps too far from its own clock.
 */
export const SIGNATURE_HEADER = 'X-Campaign-Engine-Signature';
export const DELIVERY_HEADER = 'X-Campaign-Engine-Delivery';

/** Five minutes either way, for clock drift and queueing. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

/** The signature header's value for `body`, signed at `timestamp` (unix seconds; now by default). */
export function signWebhookBody(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

export interface VerifyOptions {
  toleranceSeconds?: number;
  /** The receiver's clock, in milliseconds; `Date.now()` by default. */
  now?: number;
}

/**
 * True when `header` is a valid signature of `body` with `secret`, made within the tolerance.
 * Several `v1=` entries are accepted (any may match), so a sender can sign with an old and a
 * new secret while the secret is being changed.
 */
export function verifyWebhookSignature(secret: string, body: string, header: string | null | undefined, options: VerifyOptions = {}): boolean {
  if (!header) return false;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value ?? '')) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? '')) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return false;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  return signatures.some((signature) => timingSafeEqual(expected, Buffer.from(signature, 'hex')));
}
