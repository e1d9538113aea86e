import path from 'node:path';
import { LauncherSettingsError, readLauncherSettings } from '../../../apps/launcher/src/launcher-settings';

const root = path.resolve('/srv/campaign-engine');

function problemsFor(env: Record<string, string>): { setting: string; message: string }[] {
  try {
    readLauncherSettings(env, root);
  } catch (error) {
    if (error instanceof LauncherSettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected the settings to be rejected');
}

describe('launcher settings', () => {
  it('starts every embedded default when nothing is set', () => {
    const settings = readLauncherSettings({}, root);

    expect(settings).toEqual({
      rootDir: root,
      dataDir: path.join(root, '.data'),
      databaseUrl: null,
      embeddedPgPort: 54329,
      temporalAddress: null,
      temporalNamespace: 'default',
      temporalDevPort: 7233,
      temporalUiPort: 8233,
      smtpUrl: null,
      outboxDir: path.join(root, '.data', 'outbox'),
      importDir: path.join(root, '.data', 'imports'),
      trackingSecret: null,
      apiPort: 3000,
      debug: false,
    });
  });

  it('uses the real services and ports it is given', () => {
    const settings = readLauncherSettings(
      {
        DATABASE_URL: 'postgres://app:pw@db.internal:5432/campaigns',
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_NAMESPACE: 'marketing',
        SMTP_URL: 'smtp://user:pw@mail.internal:587',
        TRACKING_SECRET: 'x'.repeat(40),
        OUTBOX_DIR: 'tmp/outbox',
        IMPORT_DIR: 'tmp/imports',
        PORT: '8080',
        EMBEDDED_PG_PORT: '55000',
        TEMPORAL_DEV_PORT: '17233',
        TEMPORAL_UI_PORT: '18233',
        LOG_LEVEL: 'DEBUG',
      },
      root,
    );

    expect(settings).toMatchObject({
      databaseUrl: 'postgres://app:pw@db.internal:5432/campaigns',
      temporalAddress: 'temporal.internal:7233',
      temporalNamespace: 'marketing',
      smtpUrl: 'smtp://user:pw@mail.internal:587',
      trackingSecret: 'x'.repeat(40),
      outboxDir: path.join(root, 'tmp', 'outbox'),
      importDir: path.join(root, 'tmp', 'imports'),
      apiPort: 8080,
      embeddedPgPort: 55000,
      temporalDevPort: 17233,
      temporalUiPort: 18233,
      debug: true,
    });
  });

  it('treats blank values as unset', () => {
    const settings = readLauncherSettings({ DATABASE_URL: ' ', PORT: '', TRACKING_SECRET: '' }, root);

    expect(settings.databaseUrl).toBeNull();
    expect(settings.apiPort).toBe(3000);
    expect(settings.trackingSecret).toBeNull();
  });

  it.each(['0', '65536', 'abc', '80.5', '-1', '3000x', '1e3'])('rejects port value "%s", naming the setting', (value) => {
    for (const setting of ['PORT', 'EMBEDDED_PG_PORT', 'TEMPORAL_DEV_PORT', 'TEMPORAL_UI_PORT']) {
      const problems = problemsFor({ [setting]: value });
      expect(problems).toEqual([{ setting, message: expect.stringContaining('1 to 65535') }]);
    }
  });

  it('accepts the edges of the port range', () => {
    expect(readLauncherSettings({ PORT: '1', EMBEDDED_PG_PORT: '65535' }, root)).toMatchObject({
      apiPort: 1,
      embeddedPgPort: 65535,
    });
  });

  it('reports every problem at once, each naming its setting, in a one-line message', () => {
    let caught: unknown;
    try {
      readLauncherSettings(
        {
          PORT: 'http',
          DATABASE_URL: 'mysql://localhost/db',
          TEMPORAL_ADDRESS: 'no-port',
          SMTP_URL: 'http://mail',
          TRACKING_SECRET: 'short',
          TEMPORAL_NAMESPACE: 'bad namespace',
        },
        root,
      );
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(LauncherSettingsError);
    const error = caught as LauncherSettingsError;
    expect(error.problems.map((p) => p.setting).sort()).toEqual(
      ['DATABASE_URL', 'PORT', 'SMTP_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TRACKING_SECRET'].sort(),
    );
    expect(error.message).not.toContain('\n');
  });

  it('rejects two services on the same port, but only for services it will start', () => {
    expect(problemsFor({ PORT: '7233' })).toEqual([
      { setting: 'TEMPORAL_DEV_PORT', message: 'is 7233, the same port as PORT' },
    ]);
    expect(problemsFor({ EMBEDDED_PG_PORT: '8233' })).toEqual([
      { setting: 'TEMPORAL_UI_PORT', message: 'is 8233, the same port as EMBEDDED_PG_PORT' },
    ]);
    expect(readLauncherSettings({ PORT: '7233', TEMPORAL_ADDRESS: 'localhost:7233' }, root).apiPort).toBe(7233);
    expect(
      readLauncherSettings({ EMBEDDED_PG_PORT: '3000', DATABASE_URL: 'postgresql://localhost/db' }, root).apiPort,
    ).toBe(3000);
  });
});
