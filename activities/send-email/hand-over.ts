import { Readable } from 'node:stream';
import type { SentMessageInfo, Transporter } from 'nodemailer';

/** What the transport knows about a message it delivered. */
export interface DeliveryInfo {
  messageId?: unknown;
  response?: unknown;
}

/**
 * Called once when the mail server has taken the envelope and DATA and every byte of the body
 * has been handed on: the message ends (its end-of-data dot is written) when the hook calls
 * `end`, and is abandoned (no dot, so no message) if it calls `end` with an error. The hook
 * writes the hand-over mark first and calls `end` in the same synchronous turn.
 */
export type LastByteHook = (end: (error?: Error) => void) => void;

/** A message built elsewhere (see `composeLeadEmail`), sent as is. */
export interface RawEmail {
  from: string;
  to: string;
  messageId: string;
  raw: Buffer;
}

const hooks = new WeakMap<Buffer, LastByteHook>();
const gatedTransports = new WeakSet<object>();

/**
 * Sends `email` through `mailer` and calls `onLastByte` just before the message ends.
 *
 * nodemailer reads the `raw` content into its own buffers as soon as the message is queued,
 * long before the server has said yes to DATA, so a stream given as `raw` is drained too early
 * to tell us anything. Instead, a `stream` plugin puts a gate at the very end of nodemailer's
 * chain (`processFunc`): the SMTP connection pipes that gate into the socket only after the
 * server answered DATA with 354, and the gate ends only when it is asked for more after the
 * last byte. That moment is the one we mark. (The gate must be the last stage: DKIM signing,
 * were it configured on the transport, would add a stage after it.)
 */
export async function sendWithHandOver(mailer: Transporter, email: RawEmail, onLastByte: LastByteHook): Promise<DeliveryInfo> {
  installGate(mailer);
  hooks.set(email.raw, onLastByte);
  try {
    const info: SentMessageInfo = await mailer.sendMail({
      envelope: { from: email.from, to: [email.to] },
      messageId: email.messageId,
      raw: email.raw,
    });
    return info as DeliveryInfo;
  } finally {
    hooks.delete(email.raw);
  }
}

function installGate(mailer: Transporter): void {
  if (gatedTransports.has(mailer)) return;
  gatedTransports.add(mailer);
  mailer.use('stream', (mail, done) => {
    const raw = mail.data.raw;
    const hook = Buffer.isBuffer(raw) ? hooks.get(raw) : undefined;
    if (hook) {
      let fired = false;
      const fireOnce = (end: (error?: Error) => void) => {
        if (fired) return end(new Error('the message was already handed over once'));
        fired = true;
        hook(end);
      };
      mail.message.processFunc((input) => new HandOverGate(input, fireOnce));
    }
    done();
  });
}

/**
 * Passes the message through unchanged, but only to a reader that asks for it, and ends it
 * by calling the hook first. Its first read comes when the SMTP connection starts piping the
 * body, i.e. after the server accepted DATA.
 */
class HandOverGate extends Readable {
  private readonly pending: Buffer[] = [];
  private inputEnded = false;
  private wanted = false;
  private ending = false;

  constructor(
    input: Readable,
    private readonly beforeEnd: (end: (error?: Error) => void) => void,
  ) {
    super();
    input.on('data', (chunk: Buffer) => {
      this.pending.push(chunk);
      this.release();
    });
    input.once('end', () => {
      this.inputEnded = true;
      this.release();
    });
    input.once('error', (error) => this.destroy(error));
  }

  override _read(): void {
    this.wanted = true;
    this.release();
  }

  private release(): void {
    if (!this.wanted) return;
    if (this.pending.length > 0) {
      this.wanted = false;
      this.push(Buffer.concat(this.pending.splice(0)));
      return;
    }
    if (!this.inputEnded || this.ending) return;
    this.wanted = false;
    this.ending = true;
    try {
      this.beforeEnd((error) => {
        // Never end a message whose hand-over could not be marked: without the dot it is not delivered.
        if (error) this.destroy(error);
        else this.push(null);
      });
    } catch (error) {
      this.destroy(error as Error);
    }
  }
}
