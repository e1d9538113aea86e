import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed tokens for tracking URLs: `base64url(JSON) + '.' + base64url(HMAC-SHA256)`.
 * The payload is readable by anyone; the signature only proves that we issued it.
 * Keep payload keys short, since the token ends up in every tracked link.
 */

/** Payload of a click-tracking link. */
export interface ClickToken {
  /** Message id. */
  m: string;
  /** The URL the link originally pointed to. */
  u: string;
}

/** Payload of an open-tracking pixel. */
export interface OpenToken {
  /** Message id. */
  m: string;
}

/** Tracked links carry the original URL, so allow generous but bounded tokens. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function signToken(payload: object, secret: string): string {
  // A token signed with an empty secret could never be verified; fail where the mistake is.
  if (secret === '') throw new RangeError('signToken needs a non-empty secret');
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${sign(body, secret).toString('base64url')}`;
}

/**
 * The payload of a token we signed with `secret`, or null when the token is malformed,
 * forged, signed with another secret, or does not hold a JSON object. Never throws.
 * The payload's shape is the caller's to check (see `verifyClickToken`).
 */
export function verifyToken<T>(token: string, secret: string): T | null {
  if (typeof token !== 'string' || typeof secret !== 'string' || secret === '') return null;
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;

  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [body, signature] = parts;
  if (!BASE64URL.test(body) || !BASE64URL.test(signature)) return null;

  const given = Buffer.from(signature, 'base64url');
  const expected = sign(body, secret);
  if (given.length !== expected.length || given.toString('base64url') !== signature) return null;
  if (!timingSafeEqual(given, expected)) return null;

  try {
    const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null ? (payload as T) : null;
  } catch {
    return null;
  }
}

export function verifyClickToken(token: string, secret: string): ClickToken | null {
  const payload = verifyToken<Partial<Record<keyof ClickToken, unknown>>>(token, secret);
  if (!payload || typeof payload.m !== 'string' || typeof payload.u !== 'string') return null;
  return { m: payload.m, u: payload.u };
}

export function verifyOpenToken(token: string, secret: string): OpenToken | null {
  const payload = verifyToken<Partial<Record<keyof OpenToken, unknown>>>(token, secret);
  if (!payload || typeof payload.m !== 'string') return null;
  return { m: payload.m };
}

/** An unsubscribe link's payload: the message it came in, and what the link is for. */
export interface UnsubscribeToken {
  m: string;
  a: 'unsubscribe';
}

export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeToken | null {
  const payload = verifyToken<Partial<Record<keyof UnsubscribeToken, unknown>>>(token, secret);
  if (!payload || typeof payload.m !== 'string' || payload.a !== 'unsubscribe') return null;
  return { m: payload.m, a: 'unsubscribe' };
}

/** `${baseUrl}/t/u/<token>`: GET shows a confirmation page, POST unsubscribes (RFC 8058). */
export function unsubscribeUrl(baseUrl: string, secret: string, messageId: string): string {
  const payload: UnsubscribeToken = { m: messageId, a: 'unsubscribe' };
  return `${trimSlash(baseUrl)}/t/u/${signToken(payload, secret)}`;
}

/** `${baseUrl}/t/c/<token>`: records the click, then redirects to `url`. */
export function clickUrl(baseUrl: string, secret: string, messageId: string, url: string): string {
  const payload: ClickToken = { m: messageId, u: url };
  return `${trimSlash(baseUrl)}/t/c/${signToken(payload, secret)}`;
}

/** `${baseUrl}/t/o/<token>`: the address of the open-tracking pixel. */
export function openPixelUrl(baseUrl: string, secret: string, messageId: string): string {
  const payload: OpenToken = { m: messageId };
  return `${trimSlash(baseUrl)}/t/o/${signToken(payload, secret)}`;
}

function sign(body: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

function trimSlash(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}
