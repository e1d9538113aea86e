import { simpleParser } from 'mailparser';
import { buildMimeMessage, MimeParts } from '@activities/send-email/mime-message';

const parts = (extra: Partial<MimeParts> = {}): MimeParts => ({
  from: 'Campaign Engine <campaigns@example.com>',
  to: 'ada@example.com',
  subject: 'Hello Ada',
  messageId: '<4f0c@campaign-engine>',
  text: 'Hi Ada,\n\nOur offer: https://example.com/offer\n',
  html: '<p>Hi Ada, <a href="https://example.com/offer">our offer</a></p>',
  headers: [
    ['X-Campaign-Id', 'c-1'],
    ['List-Unsubscribe', `<https://engine.example/u/${'t'.repeat(120)}>`],
    ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
  ],
  date: new Date('2026-11-24T10:00:00Z'),
  ...extra,
});

describe('buildMimeMessage', () => {
  it('makes a message a mail reader reads back: addresses, subject, both bodies and the extra headers', async () => {
    const raw = buildMimeMessage(parts());
    const mail = await simpleParser(raw);
    expect(mail.from?.value).toEqual([{ name: 'Campaign Engine', address: 'campaigns@example.com' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : null).toEqual([{ name: '', address: 'ada@example.com' }]);
    expect(mail.subject).toBe('Hello Ada');
    expect(mail.messageId).toBe('<4f0c@campaign-engine>');
    expect(mail.date?.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(mail.text).toBe('Hi Ada,\n\nOur offer: https://example.com/offer\n');
    expect(mail.html).toBe('<p>Hi Ada, <a href="https://example.com/offer">our offer</a></p>');
    const lines = new Map(mail.headerLines.map((h) => [h.key, h.line.replace(/\r\n\s+/g, ' ')]));
    expect(lines.get('x-campaign-id')).toBe('X-Campaign-Id: c-1');
    expect(lines.get('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    // The long one-click link survives folding whole.
    expect(lines.get('list-unsubscribe')).toBe(`List-Unsubscribe: <https://engine.example/u/${'t'.repeat(120)}>`);
  });

  it('keeps every header line within 78 characters where it has spaces to fold at, and every line within 998', () => {
    const raw = buildMimeMessage(parts({ subject: 'A subject that goes on and on about spring offers, guides, webinars and many other things' })).toString();
    const [head, body] = raw.split('\r\n\r\n', 2);
    // A line longer than 78 is one word that cannot be split (the one-click link).
    for (const line of head.split('\r\n')) if (line.trim().includes(' ')) expect(line.length).toBeLessThanOrEqual(78);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(body.length).toBeGreaterThan(0);
  });

  it('encodes non-ASCII subjects and display names so they read back as written', async () => {
    const subject = 'Grüße, Zoë — 春のお知らせ: an offer with a long tail of accented words éèêë';
    const mail = await simpleParser(buildMimeMessage(parts({ subject, from: 'Société Générale <news@example.fr>', text: 'Grüße', html: '<p>春</p>' })));
    expect(mail.subject).toBe(subject);
    expect(mail.from?.value).toEqual([{ name: 'Société Générale', address: 'news@example.fr' }]);
    expect(mail.text?.trim()).toBe('Grüße');
    expect(mail.html).toBe('<p>春</p>');
    // Only ASCII goes over the wire.
    expect(/^[\x00-\x7f]*$/.test(buildMimeMessage(parts({ subject })).toString('latin1'))).toBe(true);
  });

  it('cannot be made to add a header through a line break in a value', async () => {
    const mail = await simpleParser(buildMimeMessage(parts({ subject: 'Hello\r\nBcc: everyone@example.com' })));
    expect(mail.bcc).toBeUndefined();
    expect(mail.subject).toBe('Hello Bcc: everyone@example.com');
  });
});
