/** What nodemailer puts on an error from the mail server or the connection to it. */
interface SmtpErrorFields {
  responseCode?: unknown;
  command?: unknown;
  response?: unknown;
  code?: unknown;
}

/** The server's reply code, when the error is a reply (not a dropped connection or a timeout). */
export function replyCode(error: unknown): number | null {
  const code = (error as SmtpErrorFields | null)?.responseCode;
  return typeof code === 'number' && code >= 200 && code < 600 ? code : null;
}

/**
 * 5xx to RCPT TO or DATA (the command, or the end of the message) means this address will not
 * take mail: a hard bounce. Everything else — 4xx, a dropped connection, a timeout, and 5xx to
 * commands that are about us rather than the lead (MAIL FROM, AUTH) — is tried again later.
 */
export function isHardBounce(error: unknown): boolean {
  const code = replyCode(error);
  const command = (error as SmtpErrorFields | null)?.command;
  return code !== null && code >= 500 && (command === 'RCPT TO' || command === 'DATA');
}

/** The server's own words when there are any, for the ledger and the lead's timeline. */
export function describeSmtpError(error: unknown): string {
  const fields = error as SmtpErrorFields | null;
  if (typeof fields?.response === 'string' && fields.response !== '') {
    const command = typeof fields.command === 'string' ? `${fields.command}: ` : '';
    return `${command}${fields.response}`;
  }
  return error instanceof Error ? error.message : String(error);
}
