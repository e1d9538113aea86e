import { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { SMTPServer } from 'smtp-server';

/** One message the server accepted: its envelope, its bytes and when its end arrived. */
export interface CountedMessage {
  from: string;
  to: string[];
  raw: Buffer;
  /** `performance.now()` at the end of the message. */
  at: number;
}

export interface SmtpCounter {
  url: string;
  messages: CountedMessage[];
  /** Resolves once `count` messages have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  /** Messages per second from the first message's end to the last's. */
  rate(): number;
  reset(): void;
  close(): Promise<void>;
}

/** A local SMTP sink that accepts everything and only counts: no parsing, no checks. */
export async function startSmtpCounter(): Promise<SmtpCounter> {
  const messages: CountedMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // The default cap of 100 connections a server would apply is not what is being measured.
    maxClients: 1_000,
    onData(stream, session, callback) {
      buffer(stream).then((raw) => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        messages.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, at: performance.now() });
        callback();
      }, callback);
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    rate() {
      if (messages.length < 2) return 0;
      return ((messages.length - 1) * 1000) / (messages[messages.length - 1].at - messages[0].at);
    },
    reset() {
      messages.splice(0);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
