import { randomBytes } from 'node:crypto';

/** What a campaign email is made of: two addresses, a subject, both bodies and a few headers. */
export interface MimeParts {
  /** `Name <address>` or a bare address. */
  from: string;
  to: string;
  subject: string;
  /** Including its angle brackets. */
  messageId: string;
  text: string;
  html: string;
  /** Extra headers, in order; values of printable ASCII (URLs, ids) or any text for `encode`d ones. */
  headers: [name: string, value: string][];
  date?: Date;
}

const LINE = 76;
const ASCII = /^[\x20-\x7e]*$/;

/**
 * The whole message as it goes over the wire (RFC 5322 and MIME): a `multipart/alternative` of
 * the plain-text and the HTML body, each UTF-8 and base64 (lines of 76), with non-ASCII header
 * text as RFC 2047 encoded words and long headers folded. One message per lead at send time,
 * so it is built directly, in one pass, rather than through a general-purpose composer.
 */
export function buildMimeMessage(parts: MimeParts): Buffer {
  const boundary = `--_ce_${randomBytes(12).toString('hex')}`;
  const head = [
    header('From', address(parts.from)),
    header('To', address(parts.to)),
    header('Subject', text(parts.subject)),
    header('Message-ID', parts.messageId),
    header('Date', (parts.date ?? new Date()).toUTCString().replace('GMT', '+0000')),
    header('MIME-Version', '1.0'),
    ...parts.headers.map(([name, value]) => header(name, ASCII.test(value) ? value : text(value))),
    header('Content-Type', `multipart/alternative; boundary="${boundary}"`),
  ];
  const body = [
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(parts.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(parts.html),
    `--${boundary}--`,
    '',
  ];
  return Buffer.from([...head, '', ...body].join('\r\n'), 'utf8');
}

/** A header line, folded at spaces to lines of at most 78 characters where it can be. */
function header(name: string, value: string): string {
  const line = `${name}: ${value.replace(/[\r\n]+/g, ' ')}`;
  if (line.length <= 78) return line;
  const words = line.split(' ');
  const lines: string[] = [];
  let current = words.shift()!;
  for (const word of words) {
    if (current.length + 1 + word.length > 78) {
      lines.push(current);
      current = ` ${word}`;
    } else current += ` ${word}`;
  }
  lines.push(current);
  return lines.join('\r\n');
}

/** Header text: as it is when it is printable ASCII, else RFC 2047 encoded words (UTF-8, base64) of whole characters. */
function text(raw: string): string {
  // A line break in a value would end the header; it is a space here, before any encoding.
  const value = raw.replace(/[\r\n]+/g, ' ');
  if (ASCII.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const char of value) {
    // 45 bytes of UTF-8 make 60 characters of base64: a word stays within one folded line.
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(' ');
}

/** `Name <address>` with the name encoded (and quoted) as needed; a bare address as it is. */
function address(value: string): string {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value);
  if (!match) return value.trim();
  const [, name, email] = match;
  if (name === '') return `<${email}>`;
  const shown = ASCII.test(name) ? `"${name.replace(/^"|"$/g, '').replace(/["\\]/g, '\\$&')}"` : text(name);
  return `${shown} <${email}>`;
}

function base64Lines(content: string): string {
  const encoded = Buffer.from(content, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += LINE) lines.push(encoded.slice(i, i + LINE));
  return lines.join('\r\n');
}
