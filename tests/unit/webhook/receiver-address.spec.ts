import { isPrivateAddress } from '@activities/webhook/receiver-address';
import { MAX_RETRY_AFTER_MS, retryAfter } from '@activities/webhook/webhook-delivery';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.9',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-address',
  ])('counts %s as private or reserved', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '93.184.215.14', '2606:4700::6810:85e5', '::ffff:8.8.4.4'])('lets %s through', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('retryAfter', () => {
  const now = Date.parse('2026-11-24T10:00:00Z');
  it('reads seconds and HTTP dates, never below zero nor above the cap', () => {
    expect(retryAfter('120', now)).toBe(120_000);
    expect(retryAfter(' 0 ', now)).toBe(0);
    expect(retryAfter('Tue, 24 Nov 2026 10:05:00 GMT', now)).toBe(300_000);
    expect(retryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfter('86400', now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('ignores an absent or unreadable header', () => {
    expect(retryAfter(null, now)).toBeNull();
    expect(retryAfter('soon', now)).toBeNull();
    expect(retryAfter('-5', now)).toBeNull();
  });
});
