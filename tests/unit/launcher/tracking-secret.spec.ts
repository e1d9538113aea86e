import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateTrackingSecret } from '../../../apps/launcher/src/tracking-secret';

describe('the generated tracking secret', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-secret-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('is 48 random bytes in base64url, kept in a file only the owner can read, and reused on the next start', async () => {
    const file = path.join(root, 'tracking-secret');

    const first = await loadOrCreateTrackingSecret(file);
    const second = await loadOrCreateTrackingSecret(file);

    expect(first).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(Buffer.from(first, 'base64url')).toHaveLength(48);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(second).toBe(first);
  });

  it('differs between data folders', async () => {
    const a = await loadOrCreateTrackingSecret(path.join(root, 'a'));
    const b = await loadOrCreateTrackingSecret(path.join(root, 'b'));

    expect(a).not.toBe(b);
  });

  it('refuses a file that holds no usable secret, saying how to fix it', async () => {
    const file = path.join(root, 'tracking-secret');
    fs.writeFileSync(file, 'short\n');

    await expect(loadOrCreateTrackingSecret(file)).rejects.toThrow(/Delete it .* or set TRACKING_SECRET/);
  });
});
