/**
 * The email benchmark's baseline, run as its own process like the engine's worker: reads
 * messages (one JSON line each: from, to, raw as base64) from a file and sends them all at once
 * through nodemailer's pooled transport, then exits.
 *
 *   node dist/bench/support/nodemailer-loop.js <messages file> <smtp url> <pool size>
 */
import { readFileSync } from 'node:fs';
import { createMailTransport } from '@ce/mail';

async function main(): Promise<void> {
  const [file, smtpUrl, pool] = process.argv.slice(2);
  const messages = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as { from: string; to: string[]; raw: string })
    .map((m) => ({ envelope: { from: m.from, to: m.to }, raw: Buffer.from(m.raw, 'base64') }));
  const transport = createMailTransport({ smtpUrl, outboxDir: '/unused', pool: true, maxConnections: Number(pool) });
  try {
    await Promise.all(messages.map((message) => transport.sendMail(message)));
  } finally {
    transport.close();
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exitCode = 1;
});
