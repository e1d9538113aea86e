import { ConfigError, loadConfig } from '@ce/config';

const SECRET = 'k'.repeat(32);
const MINIMAL = { DATABASE_URL: 'postgres://ce:ce@localhost:5432/campaigns', TRACKING_SECRET: SECRET };

function configErrorFrom(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  it('fills in defaults around a minimal valid environment', () => {
    expect(loadConfig(MINIMAL)).toEqual({
      databaseUrl: 'postgres://ce:ce@localhost:5432/campaigns',
      temporal: { address: '127.0.0.1:7233', namespace: 'default' },
      smtpUrl: null,
      outboxDir: '.data/outbox',
      importDir: '.data/imports',
      mailFrom: 'Campaign Engine <campaigns@localhost>',
      publicBaseUrl: 'http://localhost:3000',
      trackingSecret: SECRET,
      webhookSecret: SECRET,
      emailRatePerSecond: 200,
      smtpPoolSize: 5,
      segmentExitCheckSeconds: 300,
      nurtureCohortSize: 500,
      webhookAllowPrivateAddresses: false,
      port: 3000,
      logLevel: 'info',
    });
  });

  it('derives the public base URL from the port when none is given', () => {
    expect(loadConfig({ ...MINIMAL, PORT: '8080' })).toMatchObject({ port: 8080, publicBaseUrl: 'http://localhost:8080' });
  });

  it('reads every setting it is given', () => {
    const config = loadConfig({
      ...MINIMAL,
      DATABASE_URL: 'postgresql://db.internal/ce',
      PORT: '4000',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'campaigns-prod',
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      MAIL_FROM: 'Acme <news@acme.example>',
      PUBLIC_BASE_URL: 'https://go.acme.example',
      OUTBOX_DIR: '/var/outbox',
      IMPORT_DIR: '/var/imports',
      WEBHOOK_SECRET: 'w'.repeat(40),
      EMAIL_RATE_PER_SECOND: '12.5',
      SMTP_POOL_SIZE: '10',
      SEGMENT_EXIT_CHECK_SECONDS: '60',
      NURTURE_COHORT_SIZE: '1',
      WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'TRUE',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toEqual({
      databaseUrl: 'postgresql://db.internal/ce',
      temporal: { address: 'temporal.internal:7233', namespace: 'campaigns-prod' },
      smtpUrl: 'smtps://user:pass@mail.example.com:465',
      outboxDir: '/var/outbox',
      importDir: '/var/imports',
      mailFrom: 'Acme <news@acme.example>',
      publicBaseUrl: 'https://go.acme.example',
      trackingSecret: SECRET,
      webhookSecret: 'w'.repeat(40),
      emailRatePerSecond: 12.5,
      smtpPoolSize: 10,
      segmentExitCheckSeconds: 60,
      nurtureCohortSize: 1,
      webhookAllowPrivateAddresses: true,
      port: 4000,
      logLevel: 'debug',
    });
  });

  it('treats blank settings as unset and trims surrounding spaces', () => {
    const config = loadConfig({ ...MINIMAL, PORT: '   ', SMTP_URL: '', TRACKING_SECRET: `  ${SECRET}  ` });
    expect(config.port).toBe(3000);
    expect(config.smtpUrl).toBeNull();
    expect(config.trackingSecret).toBe(SECRET);
  });

  it('trims trailing slashes from PUBLIC_BASE_URL', () => {
    expect(loadConfig({ ...MINIMAL, PUBLIC_BASE_URL: 'https://go.acme.example/' }).publicBaseUrl).toBe('https://go.acme.example');
    expect(loadConfig({ ...MINIMAL, PUBLIC_BASE_URL: 'https://acme.example/track//' }).publicBaseUrl).toBe('https://acme.example/track');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['WEBHOOK_SECRET', 'too-short'],
    ['EMAIL_RATE_PER_SECOND', '0'],
    ['EMAIL_RATE_PER_SECOND', 'fast'],
    ['SMTP_POOL_SIZE', '2.5'],
    ['SMTP_POOL_SIZE', '101'],
    ['SEGMENT_EXIT_CHECK_SECONDS', '-5'],
    ['NURTURE_COHORT_SIZE', '0'],
    ['WEBHOOK_ALLOW_PRIVATE_ADDRESSES', 'yes'],
    ['NURTURE_COHORT_SIZE', '501'],
    ['NURTURE_COHORT_SIZE', '2.5'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['TEMPORAL_ADDRESS', 'nohost'],
    ['TEMPORAL_NAMESPACE', 'has spaces'],
    ['SMTP_URL', 'http://x'],
    ['MAIL_FROM', 'no-at-sign'],
    ['PUBLIC_BASE_URL', 'ftp://x'],
    ['TRACKING_SECRET', 'short'],
    ['TRACKING_SECRET', 'k'.repeat(31)],
    ['LOG_LEVEL', 'loud'],
  ])('rejects %s=%p naming the setting', (setting, value) => {
    const error = configErrorFrom({ ...MINIMAL, [setting]: value });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems.map((p) => p.setting)).toEqual([setting]);
    expect(error.message).toContain(`${setting}:`);
  });

  it('quotes the bad port in its message', () => {
    expect(configErrorFrom({ ...MINIMAL, PORT: 'abc' }).message).toContain('"abc"');
  });

  it.each(['DATABASE_URL', 'TRACKING_SECRET'])('requires %s', (setting) => {
    const error = configErrorFrom({ ...MINIMAL, [setting]: undefined });
    expect(error.problems).toEqual([{ setting, message: expect.stringMatching(/^is required/) }]);
  });

  it('reports every bad setting at once', () => {
    const error = configErrorFrom({
      PORT: '0',
      DATABASE_URL: 'mysql://x',
      TEMPORAL_ADDRESS: 'nohost',
      SMTP_URL: 'http://x',
      PUBLIC_BASE_URL: 'ftp://x',
      TRACKING_SECRET: 'short',
      LOG_LEVEL: 'loud',
    });
    const settings = ['PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'PUBLIC_BASE_URL', 'TRACKING_SECRET', 'LOG_LEVEL'];
    expect(error.problems.map((p) => p.setting)).toEqual(settings);
    for (const setting of settings) expect(error.message).toContain(`${setting}:`);
  });

  it('reports an empty environment as missing both required settings', () => {
    expect(configErrorFrom({}).problems.map((p) => p.setting)).toEqual(['DATABASE_URL', 'TRACKING_SECRET']);
  });
});

describe('loadConfig TEMPORAL_ADDRESS port', () => {
  it('rejects a port above 65535', () => {
    const error = configErrorFrom({ ...MINIMAL, TEMPORAL_ADDRESS: 'localhost:99999' });
    expect(error.problems.map((p) => p.setting)).toEqual(['TEMPORAL_ADDRESS']);
  });
});
