import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { createTransport } from 'nodemailer';
import type { MailMessage, NodemailerError, SentMessageInfo, Transport, Transporter } from 'nodemailer';

/** What `sendMail` resolves with on the outbox transport: the usual info plus the file written. */
export interface OutboxSentInfo extends SentMessageInfo {
  path: string;
}

/** Any transport the engine sends with: pooled SMTP, plain SMTP or the outbox. */
export type MailTransport = Transporter<SentMessageInfo>;

export interface MailTransportOptions {
  /** e.g. `smtps://user:pass@smtp.example.com`; null writes mail to `outboxDir` instead. */
  smtpUrl: string | null;
  outboxDir: string;
  /** Keep SMTP connections open and reuse them (default true). */
  pool?: boolean;
  /** Pooled connections at most (default 5). */
  maxConnections?: number;
}

type SendCallback = (err: NodemailerError | null, info?: OutboxSentInfo) => void;
type VerifyCallback = (err: NodemailerError | null, success?: true) => void;

/**
 * A nodemailer transport that writes each message, as it would go over the wire, to an
 * `.eml` file in a folder: for development and for running without an SMTP server.
 * Files appear whole: each is written under a temporary name and then renamed.
 */
class OutboxTransport implements Transport<OutboxSentInfo> {
  readonly name = 'OutboxTransport';
  readonly version = '1.0.0';

  constructor(private readonly dir: string) {}

  send(mail: MailMessage<OutboxSentInfo>, callback: SendCallback): void {
    this.save(mail).then(
      (info) => callback(null, info),
      (error: unknown) => callback(asError(error)),
    );
  }

  verify(): Promise<true>;
  verify(callback: VerifyCallback): void;
  verify(callback?: VerifyCallback): Promise<true> | void {
    const check = this.ensureWritable().then(() => true as const);
    if (!callback) return check;
    check.then(
      (ok) => callback(null, ok),
      (error: unknown) => callback(asError(error)),
    );
  }

  isIdle(): boolean {
    return true;
  }

  close(): void {
    // Nothing is held open between messages.
  }

  private async save(mail: MailMessage<OutboxSentInfo>): Promise<OutboxSentInfo> {
    // Keep Bcc in the saved copy so the file shows everyone the message went to.
    mail.message.keepBcc = true;
    const envelope = mail.message.getEnvelope();
    const messageId = mail.message.messageId();
    const content = await buffer(mail.message.createReadStream());

    await mkdir(this.dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/:/g, '-');
    const path = join(this.dir, `${stamp}-${fileSlug(messageId)}.eml`);
    const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, content, { flag: 'wx' });
      await rename(temporary, path);
    } catch (error) {
      // Remove the partial file if there is one; the write error is what the caller needs.
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    return { envelope, messageId, accepted: envelope.to, rejected: [], response: `saved to ${path}`, path };
  }

  private async ensureWritable(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await access(this.dir, constants.W_OK);
  }
}

/** A transporter that writes every message as an `.eml` file into `dir` (created if missing). */
export function createOutboxTransport(dir: string): Transporter<OutboxSentInfo> {
  return createTransport(new OutboxTransport(dir));
}

/**
 * Pooled SMTP when an SMTP URL is configured, otherwise the outbox folder. The pool never
 * sends a message again by itself when a connection drops: whether that is safe is for the
 * caller's ledger to decide (see docs/email-delivery.md).
 */
export function createMailTransport(options: MailTransportOptions): MailTransport {
  const { smtpUrl, outboxDir, pool = true, maxConnections = 5 } = options;
  if (smtpUrl === null || smtpUrl.trim() === '') return createOutboxTransport(outboxDir);
  if (!pool) return createTransport(smtpUrl);
  return createTransport({ pool: true, maxConnections, maxRequeues: 0, url: smtpUrl });
}

/** `<abc.123@host>` → `abc.123-host`: safe in a file name on any system. */
function fileSlug(messageId: string): string {
  const slug = messageId
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 100);
  return slug === '' ? 'message' : slug;
}

function asError(error: unknown): NodemailerError {
  return error instanceof Error ? error : new Error(String(error));
}
