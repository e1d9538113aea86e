import { AddressInfo, Socket } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerSession } from 'smtp-server';

/** One message the server took in full (the end-of-data dot arrived), duplicates kept. */
export interface SmtpReception {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  /** The message as it came over the wire. */
  raw: Buffer;
  /** `performance.now()` when the end of the message arrived. */
  at: number;
  /** What the server answered: a reply code, or `hang_up` when it dropped the connection instead. */
  answer: number | 'hang_up';
  /** False while the answer is held back (see `replyDelayMs`): the sender does not know yet. */
  answered: boolean;
}

/**
 * How the server answers one recipient instead of accepting: a reply code at RCPT TO or after
 * the end of the message, or (after the end of the message only) dropping the connection
 * without a word. `times` limits how often (default: every time).
 */
export interface SmtpRefusal {
  at: 'rcpt' | 'data';
  reply: number | 'hang_up';
  times?: number;
}

export interface SmtpSinkOptions {
  /** Parse every accepted message into `messages` (default true); benchmarks only count. */
  parse?: boolean;
  /** Hold the answer to RCPT TO, or to the end of the message, this long: a slow server. */
  replyDelayMs?: { rcpt?: number; data?: number };
}

export interface SmtpSink {
  url: string;
  /** Accepted messages, parsed (unless `parse: false`), in arrival order. */
  messages: ParsedMail[];
  /**
   * Every message the server received whole (the end-of-data dot arrived), in arrival order,
   * whatever it answered and whether or not the answer reached the sender.
   */
  receptions: SmtpReception[];
  /** Makes the server refuse `address` (see SmtpRefusal). */
  refuse(address: string, refusal: SmtpRefusal): void;
  /** Resolves once at least `count` messages have been accepted. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

class SmtpReplyError extends Error {
  constructor(readonly responseCode: number) {
    super(responseCode >= 500 ? 'Mailbox unavailable (test refusal)' : 'Try again later (test refusal)');
  }
}

/** A real SMTP server on a free local port that keeps every message it receives. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const parse = options.parse ?? true;
  const { rcpt: rcptDelay = 0, data: dataDelay = 0 } = options.replyDelayMs ?? {};
  const later = (ms: number, answer: () => void) => (ms > 0 ? setTimeout(answer, ms) : answer());
  const messages: ParsedMail[] = [];
  const receptions: SmtpReception[] = [];
  let accepted = 0;
  const refusals = new Map<string, SmtpRefusal & { left: number }>();

  /** The refusal that applies now, used up by one. */
  const refusalFor = (address: string, at: SmtpRefusal['at']): SmtpRefusal | null => {
    const refusal = refusals.get(address.toLowerCase());
    if (!refusal || refusal.at !== at) return null;
    if (--refusal.left <= 0) refusals.delete(address.toLowerCase());
    return refusal;
  };
  const recipients = (session: SMTPServerSession) => session.envelope.rcptTo.map((r) => r.address.toLowerCase());

  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusalFor(address.address, 'rcpt');
      later(rcptDelay, () => callback(refusal && typeof refusal.reply === 'number' ? new SmtpReplyError(refusal.reply) : undefined));
    },
    onData(stream, session, callback) {
      buffer(stream)
        .then(async (raw) => {
          const to = recipients(session);
          const refusal = to.map((address) => refusalFor(address, 'data')).find((r) => r !== null) ?? null;
          const reception: SmtpReception = { to, raw, at: performance.now(), answer: 250, answered: false };
          receptions.push(reception);
          if (refusal?.reply === 'hang_up') {
            reception.answer = 'hang_up';
            reception.answered = true;
            return socketOf(server, session)?.destroy();
          }
          if (refusal) reception.answer = refusal.reply;
          const parsed = !refusal && parse ? await simpleParser(raw) : null;
          later(dataDelay, () => {
            reception.answered = true;
            if (refusal) return callback(new SmtpReplyError(refusal.reply as number));
            if (parsed) messages.push(parsed);
            accepted++;
            callback();
          });
        })
        .catch(callback);
    },
  });
  // A client that dies mid-session (a killed worker) resets its connection; that is its problem, not the server's.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    receptions,
    refuse(address, refusal) {
      refusals.set(address.toLowerCase(), { ...refusal, left: refusal.times ?? Infinity });
    },
    async waitFor(count, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (accepted < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${accepted}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The socket of the client connection a session belongs to (smtp-server keeps no public handle). */
function socketOf(server: SMTPServer, session: SMTPServerSession): Socket | undefined {
  const connections = (server as unknown as { connections: Set<{ session: SMTPServerSession; _socket: Socket }> }).connections;
  for (const connection of connections) if (connection.session === session) return connection._socket;
  return undefined;
}
