import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createMailTransport, createOutboxTransport } from '@ce/mail';

describe('outbox transport', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ce-outbox-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('writes each message as a parseable .eml file in a folder it creates', async () => {
    const dir = join(root, 'nested', 'outbox');
    const transport = createOutboxTransport(dir);

    const info = await transport.sendMail({
      from: 'Campaigns <news@example.com>',
      to: 'Ada Lovelace <ada@example.com>',
      subject: 'Spring sale — 20% off',
      text: 'Hello Ada, the sale starts today.',
      html: '<p>Hello <b>Ada</b>, the sale starts today.</p>',
      messageId: '<msg-42@campaigns.example.com>',
      headers: { 'X-Campaign-Id': 'cmp-7' },
    });

    expect(info.messageId).toBe('<msg-42@campaigns.example.com>');
    expect(info.envelope).toEqual({ from: 'news@example.com', to: ['ada@example.com'] });
    expect(readdirSync(dir)).toEqual([basename(info.path)]);
    expect(basename(info.path)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-msg-42-campaigns\.example\.com\.eml$/);

    const parsed = await simpleParser(readFileSync(info.path));
    expect(parsed.subject).toBe('Spring sale — 20% off');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([{ address: 'ada@example.com', name: 'Ada Lovelace' }]);
    expect(parsed.from?.value).toEqual([{ address: 'news@example.com', name: 'Campaigns' }]);
    expect(parsed.messageId).toBe('<msg-42@campaigns.example.com>');
    expect(parsed.headers.get('x-campaign-id')).toBe('cmp-7');
    expect(parsed.text?.trim()).toBe('Hello Ada, the sale starts today.');
    expect(parsed.html).toContain('<p>Hello <b>Ada</b>, the sale starts today.</p>');
  });

  it('gives every message its own file and leaves no temporary files behind', async () => {
    const transport = createOutboxTransport(root);
    const sent = await Promise.all(
      ['a@example.com', 'b@example.com', 'c@example.com'].map((to) =>
        transport.sendMail({ from: 'news@example.com', to, subject: `For ${to}`, text: 'hi' }),
      ),
    );

    const files = readdirSync(root).sort();
    expect(files).toHaveLength(3);
    expect(files.every((file) => file.endsWith('.eml'))).toBe(true);
    expect(new Set(sent.map((info) => info.messageId)).size).toBe(3);
    for (const info of sent) {
      const parsed = await simpleParser(readFileSync(info.path));
      expect(parsed.messageId).toBe(info.messageId);
      expect(parsed.subject).toBe(`For ${info.envelope.to[0]}`);
    }
  });

  it('verifies that the folder can be written', async () => {
    await expect(createOutboxTransport(join(root, 'new')).verify()).resolves.toBe(true);
  });

  it('fails the send when the folder cannot be created', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const transport = createOutboxTransport(join(file, 'outbox'));
    await expect(transport.sendMail({ from: 'x@example.com', to: 'y@example.com', text: 'x' })).rejects.toThrow(/ENOTDIR|EEXIST/);
    await expect(transport.verify()).rejects.toThrow(/ENOTDIR|EEXIST/);
  });
});

describe('createMailTransport', () => {
  it('uses the outbox when no SMTP URL is configured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ce-outbox-'));
    try {
      const transport = createMailTransport({ smtpUrl: null, outboxDir: dir });
      const info = await transport.sendMail({ from: 'x@example.com', to: 'y@example.com', subject: 'Outbox', text: 'x' });
      expect(readdirSync(dir)).toEqual([basename(info.path)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses a pool of SMTP connections when an SMTP URL is configured', () => {
    const pooled = createMailTransport({ smtpUrl: 'smtp://user:pass@127.0.0.1:2525', outboxDir: '/unused' });
    const single = createMailTransport({ smtpUrl: 'smtp://127.0.0.1:2525', outboxDir: '/unused', pool: false });
    try {
      expect(pooled.transporter.name).toBe('SMTP (pool)');
      expect(single.transporter.name).toBe('SMTP');
    } finally {
      pooled.close();
      single.close();
    }
  });
});
