import path from 'node:path';

type Env = Record<string, string | undefined>;

/** What `npm start` needs to know, read once from the environment and validated. */
export interface LauncherSettings {
  /** The repository root; `.data/` lives here. */
  rootDir: string;
  dataDir: string;
  /** External PostgreSQL; null starts the embedded one. */
  databaseUrl: string | null;
  embeddedPgPort: number;
  /** External Temporal (host:port); null starts `temporal server start-dev`. */
  temporalAddress: string | null;
  temporalNamespace: string;
  temporalDevPort: number;
  temporalUiPort: number;
  /** External SMTP server; null writes mail to `outboxDir`. */
  smtpUrl: string | null;
  /** Absolute path of the .eml outbox. */
  outboxDir: string;
  /** Absolute path where uploaded import files wait for the worker. */
  importDir: string;
  /** Given secret; null means "generate once and keep it in .data/". */
  trackingSecret: string | null;
  /** The API's HTTP port. */
  apiPort: number;
  /** LOG_LEVEL=debug (or trace): show stacks and the servers' own output. */
  debug: boolean;
}

export class LauncherSettingsError extends Error {
  readonly code = 'LAUNCHER_SETTINGS_INVALID';

  constructor(readonly problems: { setting: string; message: string }[]) {
    super(`Invalid settings: ${problems.map((p) => `${p.setting} ${p.message}`).join('; ')}`);
    this.name = 'LauncherSettingsError';
  }
}

export function readLauncherSettings(env: Env, rootDir: string): LauncherSettings {
  const problems: { setting: string; message: string }[] = [];
  const read = (name: string): string | null => {
    const value = env[name]?.trim();
    return value ? value : null;
  };
  const port = (name: string, fallback: number): number => {
    const raw = read(name);
    if (raw === null) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
      problems.push({ setting: name, message: `must be a whole number from 1 to 65535, got "${raw}"` });
      return fallback;
    }
    return Number(raw);
  };

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== null && !hasProtocol(databaseUrl, ['postgres:', 'postgresql:'])) {
    problems.push({ setting: 'DATABASE_URL', message: 'must be a postgres:// or postgresql:// URL' });
  }
  const temporalAddress = read('TEMPORAL_ADDRESS');
  if (temporalAddress !== null && !/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(temporalAddress)) {
    problems.push({ setting: 'TEMPORAL_ADDRESS', message: `must be host:port, got "${temporalAddress}"` });
  }
  const temporalNamespace = read('TEMPORAL_NAMESPACE') ?? 'default';
  if (!/^[A-Za-z0-9._-]{1,255}$/.test(temporalNamespace)) {
    problems.push({ setting: 'TEMPORAL_NAMESPACE', message: 'may only hold letters, digits, dot, dash and underscore' });
  }
  const smtpUrl = read('SMTP_URL');
  if (smtpUrl !== null && !hasProtocol(smtpUrl, ['smtp:', 'smtps:'])) {
    problems.push({ setting: 'SMTP_URL', message: 'must be an smtp:// or smtps:// URL' });
  }
  const trackingSecret = read('TRACKING_SECRET');
  if (trackingSecret !== null && trackingSecret.length < 32) {
    problems.push({ setting: 'TRACKING_SECRET', message: 'must be at least 32 characters long (or unset it to have one generated)' });
  }
  const logLevel = (read('LOG_LEVEL') ?? 'info').toLowerCase();

  const apiPort = port('PORT', 3000);
  const embeddedPgPort = port('EMBEDDED_PG_PORT', 54329);
  const temporalDevPort = port('TEMPORAL_DEV_PORT', 7233);
  const temporalUiPort = port('TEMPORAL_UI_PORT', 8233);

  // The ports we will actually open must not collide with each other.
  const opened: [string, number][] = [['PORT', apiPort]];
  if (databaseUrl === null) opened.push(['EMBEDDED_PG_PORT', embeddedPgPort]);
  if (temporalAddress === null) opened.push(['TEMPORAL_DEV_PORT', temporalDevPort], ['TEMPORAL_UI_PORT', temporalUiPort]);
  opened.forEach(([setting, value], index) => {
    const earlier = opened.slice(0, index).find(([, other]) => other === value);
    if (earlier) problems.push({ setting, message: `is ${value}, the same port as ${earlier[0]}` });
  });

  if (problems.length > 0) throw new LauncherSettingsError(problems);

  const dataDir = path.resolve(rootDir, '.data');
  const outbox = read('OUTBOX_DIR');
  const imports = read('IMPORT_DIR');
  return {
    rootDir: path.resolve(rootDir),
    dataDir,
    databaseUrl,
    embeddedPgPort,
    temporalAddress,
    temporalNamespace,
    temporalDevPort,
    temporalUiPort,
    smtpUrl,
    outboxDir: outbox !== null ? path.resolve(rootDir, outbox) : path.join(dataDir, 'outbox'),
    importDir: imports !== null ? path.resolve(rootDir, imports) : path.join(dataDir, 'imports'),
    trackingSecret,
    apiPort,
    debug: logLevel === 'debug' || logLevel === 'trace',
  };
}

function hasProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
