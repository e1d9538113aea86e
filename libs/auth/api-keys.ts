import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey, Role } from '@ce/db';

const KEY_PREFIX = 'ce_';

export interface IssuedApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  /** The key itself. It is not stored and cannot be shown again. */
  key: string;
  createdAt: Date;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Makes a key with 192 bits of randomness; only its hash is kept. A `sales` key may belong to a sales rep. */
export async function issueApiKey(em: EntityManager, name: string, role: Role, salesRepId: string | null = null): Promise<IssuedApiKey> {
  const key = KEY_PREFIX + randomBytes(24).toString('base64url');
  const prefix = key.slice(0, KEY_PREFIX.length + 6);
  const apiKey = em.create(ApiKey, { name, role, prefix, keyHash: hashApiKey(key), salesRep: salesRepId });
  await em.persistAndFlush(apiKey);
  return { id: apiKey.id, name, role, prefix, key, createdAt: apiKey.createdAt };
}

/** Finds the live key a caller presented, or null. */
export async function findApiKey(em: EntityManager, key: string): Promise<ApiKey | null> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  return em.findOne(ApiKey, { keyHash: hashApiKey(key), revokedAt: null });
}

/**
 * On a fresh installation there is no key to call the API with: makes the first admin key,
 * once. Returns null when any key exists already.
 */
export async function ensureFirstAdminKey(em: EntityManager): Promise<IssuedApiKey | null> {
  return em.transactional(async (tx) => {
    // Several API processes may start at once; the lock lets exactly one of them make the key.
    await tx.execute('select pg_advisory_xact_lock(?)', [FIRST_KEY_LOCK]);
    if ((await tx.count(ApiKey, {})) > 0) return null;
    return issueApiKey(tx, 'first admin key', 'admin');
  });
}

const FIRST_KEY_LOCK = 72_000_001;
