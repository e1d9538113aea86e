import { createHmac } from 'node:crypto';
import {
  ClickToken,
  OpenToken,
  clickUrl,
  openPixelUrl,
  signToken,
  unsubscribeUrl,
  verifyClickToken,
  verifyOpenToken,
  verifyToken,
  verifyUnsubscribeToken,
} from '@ce/mail';

const SECRET = 'a-long-random-tracking-secret';

function flipLastChar(text: string): string {
  const last = text.at(-1) === 'A' ? 'B' : 'A';
  return text.slice(0, -1) + last;
}

describe('tracking tokens', () => {
  it('returns the payload of a token it signed', () => {
    const token = signToken({ m: 'msg-1', u: 'https://example.com/a?b=1&c=ü' }, SECRET);
    expect(verifyToken<ClickToken>(token, SECRET)).toEqual({ m: 'msg-1', u: 'https://example.com/a?b=1&c=ü' });
  });

  it('produces URL-safe tokens with one dot', () => {
    const token = signToken({ m: 'msg-1', u: 'https://example.com/?q=a+b/c' }, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('rejects a token whose payload was changed', () => {
    const token = signToken({ m: 'msg-1' }, SECRET);
    const [, signature] = token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ m: 'msg-2' })).toString('base64url');
    expect(verifyToken(`${forgedBody}.${signature}`, SECRET)).toBeNull();
  });

  it('rejects a token whose signature was changed', () => {
    const token = signToken({ m: 'msg-1' }, SECRET);
    expect(verifyToken(flipLastChar(token), SECRET)).toBeNull();
    const [body, signature] = token.split('.');
    expect(verifyToken(`${body}.${signature.slice(0, -4)}`, SECRET)).toBeNull();
    expect(verifyToken(`${body}.${signature}AAAA`, SECRET)).toBeNull();
  });

  it('rejects a token signed with another secret', () => {
    const token = signToken({ m: 'msg-1' }, 'another-secret');
    expect(verifyToken(token, SECRET)).toBeNull();
  });

  it('returns null for garbage without throwing', () => {
    const garbage = ['', '.', 'no-dot-here', 'a.b.c', '!!!.???', '%%%%', 'abc.', '.abc', 'x'.repeat(100_000), `${'x'.repeat(50_000)}.${'y'.repeat(50_000)}`];
    for (const input of garbage) {
      expect(verifyToken(input, SECRET)).toBeNull();
    }
  });

  it('returns null when a correctly signed body is not a JSON object', () => {
    const signBody = (text: string): string => {
      const body = Buffer.from(text).toString('base64url');
      return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
    };
    expect(verifyToken(signBody('{"m":"ok"}'), SECRET)).toEqual({ m: 'ok' });
    expect(verifyToken(signBody('not json at all'), SECRET)).toBeNull();
    expect(verifyToken(signBody('42'), SECRET)).toBeNull();
    expect(verifyToken(signBody('null'), SECRET)).toBeNull();
  });

  it('refuses to sign with an empty secret and never verifies with one', () => {
    expect(() => signToken({ m: 'x' }, '')).toThrow(RangeError);
    expect(verifyToken(signToken({ m: 'x' }, SECRET), '')).toBeNull();
  });

  it('builds click and open URLs whose tokens carry the message and the original URL', () => {
    const click = clickUrl('https://t.example.com/', SECRET, 'msg-9', 'https://shop.example.com/sale?x=1&y=2');
    expect(click).toMatch(/^https:\/\/t\.example\.com\/t\/c\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const clickToken = click.split('/t/c/')[1];
    expect(verifyClickToken(clickToken, SECRET)).toEqual({ m: 'msg-9', u: 'https://shop.example.com/sale?x=1&y=2' });

    const open = openPixelUrl('https://t.example.com', SECRET, 'msg-9');
    expect(open).toMatch(/^https:\/\/t\.example\.com\/t\/o\//);
    const openToken = open.split('/t/o/')[1];
    expect(verifyOpenToken(openToken, SECRET)).toEqual<OpenToken>({ m: 'msg-9' });
  });

  it('does not accept an open token as a click token', () => {
    const openToken = openPixelUrl('https://t.example.com', SECRET, 'msg-9').split('/t/o/')[1];
    expect(verifyClickToken(openToken, SECRET)).toBeNull();
  });
});

describe('unsubscribe links', () => {
  const secret = 'unsubscribe-test-secret-0123456789abcdef';

  it('round-trips a message id and refuses other kinds of token', () => {
    const url = unsubscribeUrl('https://mail.example.com/', secret, 'message-1');
    expect(url.startsWith('https://mail.example.com/t/u/')).toBe(true);
    const token = url.slice('https://mail.example.com/t/u/'.length);
    expect(verifyUnsubscribeToken(token, secret)).toEqual({ m: 'message-1', a: 'unsubscribe' });
    const click = clickUrl('https://mail.example.com', secret, 'message-1', 'https://example.com').split('/t/c/')[1];
    expect(verifyUnsubscribeToken(click, secret)).toBeNull();
    expect(verifyUnsubscribeToken(token, 'another-secret-0123456789abcdefghij')).toBeNull();
  });
});
