/**
 * The one place that reads process settings. Every process (API, worker, CLI)
 * calls `loadConfig(process.env)` once at start and passes the typed result on.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AppConfig {
  databaseUrl: string;
  temporal: { address: string; namespace: string };
  /** SMTP connection URL; when absent, mail is written as .eml files to `outboxDir`. */
  smtpUrl: string | null;
  outboxDir: string;
  /** Where uploaded import files are kept until imported; shared by the API and the workers. */
  importDir: string;
  mailFrom: string;
  publicBaseUrl: string;
  trackingSecret: string;
  /** Signs the bodies of webhook and chat steps (HMAC-SHA256); receivers verify with the same secret. */
  webhookSecret: string;
  /** Whether webhook and chat steps may reach private, loopback and reserved addresses (off by default). */
  webhookAllowPrivateAddresses: boolean;
  /** Emails a second across all campaigns and workers (slots shared in the database, `send_rate_slots`). */
  emailRatePerSecond: number;
  /** Pooled SMTP connections per worker. */
  smtpPoolSize: number;
  /** How often running journeys are checked against their flow's segment exit rules. */
  segmentExitCheckSeconds: number;
  /** Leads per nurture workflow at launch (1: a workflow per lead). */
  nurtureCohortSize: number;
  port: number;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: { setting: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.setting}: ${p.message}`).join('\n'),
    );
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env): AppConfig {
  const problems: { setting: string; message: string }[] = [];
  const fail = (setting: string, message: string) => problems.push({ setting, message });
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const port = parsePort(read('PORT') ?? '3000');
  if (port === null) fail('PORT', `expected a whole number from 1 to 65535, got "${read('PORT')}"`);

  const databaseUrl = read('DATABASE_URL');
  if (!databaseUrl) fail('DATABASE_URL', 'is required (postgres://user:password@host:port/database)');
  else if (!isUrl(databaseUrl, ['postgres:', 'postgresql:']))
    fail('DATABASE_URL', 'expected a postgres:// or postgresql:// URL');

  const temporalAddress = read('TEMPORAL_ADDRESS') ?? '127.0.0.1:7233';
  if (!/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(temporalAddress) || parsePort(temporalAddress.split(':').pop()!) === null)
    fail('TEMPORAL_ADDRESS', `expected host:port, got "${temporalAddress}"`);

  const namespace = read('TEMPORAL_NAMESPACE') ?? 'default';
  if (!/^[A-Za-z0-9._-]{1,255}$/.test(namespace))
    fail('TEMPORAL_NAMESPACE', 'expected letters, digits, dot, dash or underscore');

  const smtpUrl = read('SMTP_URL') ?? null;
  if (smtpUrl && !isUrl(smtpUrl, ['smtp:', 'smtps:']))
    fail('SMTP_URL', 'expected an smtp:// or smtps:// URL');

  const mailFrom = read('MAIL_FROM') ?? 'Campaign Engine <campaigns@localhost>';
  if (!/@/.test(mailFrom)) fail('MAIL_FROM', 'expected an email address, optionally with a display name');

  const publicBaseUrl = (read('PUBLIC_BASE_URL') ?? `http://localhost:${port ?? 3000}`).replace(/\/+$/, '');
  if (!isUrl(publicBaseUrl, ['http:', 'https:']))
    fail('PUBLIC_BASE_URL', 'expected an http:// or https:// URL');

  const trackingSecret = read('TRACKING_SECRET');
  if (!trackingSecret) fail('TRACKING_SECRET', 'is required: a random string of at least 32 characters');
  else if (trackingSecret.length < 32) fail('TRACKING_SECRET', 'must be at least 32 characters long');

  // Defaults to the tracking secret so a single secret is enough to start; set it apart in production.
  const ownWebhookSecret = read('WEBHOOK_SECRET');
  if (ownWebhookSecret !== undefined && ownWebhookSecret.length < 32) fail('WEBHOOK_SECRET', 'must be at least 32 characters long');
  const webhookSecret = ownWebhookSecret ?? trackingSecret;

  const allowPrivate = (read('WEBHOOK_ALLOW_PRIVATE_ADDRESSES') ?? 'false').toLowerCase();
  if (allowPrivate !== 'true' && allowPrivate !== 'false') fail('WEBHOOK_ALLOW_PRIVATE_ADDRESSES', 'expected true or false');

  const emailRatePerSecond = parsePositive(read('EMAIL_RATE_PER_SECOND') ?? '200');
  if (emailRatePerSecond === null) fail('EMAIL_RATE_PER_SECOND', 'expected a positive number of emails a second');

  const smtpPoolSize = parsePositive(read('SMTP_POOL_SIZE') ?? '5');
  if (smtpPoolSize === null || !Number.isInteger(smtpPoolSize) || smtpPoolSize > 100)
    fail('SMTP_POOL_SIZE', 'expected a whole number from 1 to 100');

  const segmentExitCheckSeconds = parsePositive(read('SEGMENT_EXIT_CHECK_SECONDS') ?? '300');
  if (segmentExitCheckSeconds === null) fail('SEGMENT_EXIT_CHECK_SECONDS', 'expected a positive number of seconds');

  const nurtureCohortSize = parsePositive(read('NURTURE_COHORT_SIZE') ?? '500');
  if (nurtureCohortSize === null || !Number.isInteger(nurtureCohortSize) || nurtureCohortSize > 500)
    fail('NURTURE_COHORT_SIZE', 'expected a whole number from 1 to 500');

  const logLevel = (read('LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) fail('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    databaseUrl: databaseUrl!,
    temporal: { address: temporalAddress, namespace },
    smtpUrl,
    outboxDir: read('OUTBOX_DIR') ?? '.data/outbox',
    importDir: read('IMPORT_DIR') ?? '.data/imports',
    mailFrom,
    publicBaseUrl,
    trackingSecret: trackingSecret!,
    webhookSecret: webhookSecret!,
    webhookAllowPrivateAddresses: allowPrivate === 'true',
    emailRatePerSecond: emailRatePerSecond!,
    smtpPoolSize: smtpPoolSize!,
    segmentExitCheckSeconds: segmentExitCheckSeconds!,
    nurtureCohortSize: nurtureCohortSize!,
    port: port!,
    logLevel,
  };
}

function parsePort(value: string): number | null {
  if (!/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= 65535 ? n : null;
}

function parsePositive(value: string): number | null {
  if (!/^\d+(\.\d+)?$/.test(value)) return null;
  const n = Number(value);
  return n > 0 && Number.isFinite(n) ? n : null;
}

function isUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
