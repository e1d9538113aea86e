import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';

/**
 * The secret that signs tracking links. Generated once (48 random bytes, base64url) and kept
 * in `file` with mode 0600, so links in mail sent by an earlier run keep working.
 */
export async function loadOrCreateTrackingSecret(file: string): Promise<string> {
  const existing = await readSecret(file);
  if (existing !== null) return existing;

  const secret = randomBytes(48).toString('base64url');
  try {
    await fs.writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Someone else wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const theirs = await readSecret(file);
      if (theirs !== null) return theirs;
    }
    throw error;
  }
}

async function readSecret(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < 32) {
    throw new Error(`${file} does not hold a usable tracking secret (too short). Delete it to have a new one generated, or set TRACKING_SECRET.`);
  }
  return secret;
}
