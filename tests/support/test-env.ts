import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, AppConfig } from '@ce/config';
import { E2E_ENV } from './e2e-env';

export const TEST_TRACKING_SECRET = 'e2e-tracking-secret-0123456789abcdefghijklmnop';

/** The configuration an in-process API or worker gets in a test. */
export function testConfig(overrides: Partial<Record<string, string>> = {}): AppConfig {
  const databaseUrl = process.env[E2E_ENV.databaseUrl];
  const temporalAddress = process.env[E2E_ENV.temporalAddress];
  if (!databaseUrl || !temporalAddress) throw new Error('The e2e global set-up did not run');
  return loadConfig({
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TRACKING_SECRET: TEST_TRACKING_SECRET,
    OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'ce-outbox-')),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    // Segment exit rules are checked every few seconds here, not every five minutes.
    SEGMENT_EXIT_CHECK_SECONDS: '2',
    // The tests' webhook and chat receivers listen on this machine.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
    ...overrides,
  });
}
