import { databaseOf, formatBanner, hostOf } from '../../../apps/launcher/src/banner';

const embedded = {
  apiPort: 3000,
  temporalUiUrl: 'http://127.0.0.1:8233',
  temporalAddress: '127.0.0.1:7233',
  temporalExternal: false,
  smtpUrl: null,
  outboxDir: '/srv/app/.data/outbox',
  databaseUrl: 'postgres://postgres:postgres@127.0.0.1:54329/campaign_engine',
  databaseEmbedded: true,
};

describe('the start-up banner', () => {
  it('lists the API, its docs, the Temporal UI, the outbox and the database', () => {
    const banner = formatBanner(embedded);

    expect(banner).toContain('http://127.0.0.1:3000\n');
    expect(banner).toContain('http://127.0.0.1:3000/docs');
    expect(banner).toContain('http://127.0.0.1:3000/dashboard');
    expect(banner).toContain('http://127.0.0.1:8233');
    expect(banner).toContain('/srv/app/.data/outbox');
    expect(banner).toContain('127.0.0.1:54329/campaign_engine (embedded)');
    expect(banner).not.toContain('postgres@');
  });

  it('names external services by host only, never with their credentials', () => {
    const banner = formatBanner({
      ...embedded,
      temporalUiUrl: null,
      temporalAddress: 'temporal.internal:7233',
      temporalExternal: true,
      smtpUrl: 'smtps://mailer:s3cret-smtp@smtp.example.com:465',
      databaseUrl: 'postgresql://app:s3cret-db@db.internal:6432/campaigns',
      databaseEmbedded: false,
    });

    expect(banner).toContain('temporal.internal:7233 (external)');
    expect(banner).toMatch(/SMTP\s+smtp\.example\.com:465/);
    expect(banner).toContain('db.internal:6432/campaigns');
    expect(banner).not.toMatch(/s3cret|mailer|app:/);
    expect(banner).not.toContain('outbox');
  });

  it('reads hosts out of URLs without their user parts', () => {
    expect(hostOf('smtp://user:pw@mail.local')).toBe('mail.local');
    expect(databaseOf('postgres://u:p@db/x')).toBe('db:5432/x');
    expect(databaseOf('not a url')).toBe('(unreadable URL)');
  });
});
