import pino, { Logger } from 'pino';
import type { LogLevel } from '@ce/config';

/**
 * Structured JSON logs, one line per event. Lines carry ids, never personal data: no email
 * addresses, names or message bodies; the redaction below is a backstop, not the rule.
 */
export function createRootLogger(level: LogLevel, service: string): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['email', '*.email', 'to', '*.to', 'headers.authorization', 'headers["x-api-key"]'],
      censor: '[redacted]',
    },
  });
}
