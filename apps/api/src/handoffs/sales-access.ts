import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Lead } from '@ce/db';
import { ForbiddenError, NotFoundError } from '@ce/errors';
import type { Caller } from '../common/auth/api-key.guard';

/**
 * What a `sales` key may touch: the leads its rep owns. A sales key that belongs to no rep may
 * touch none. Other roles allowed on a route (admin, and marketer where a route says so) may
 * touch any lead.
 */
export function salesRepOf(caller: Caller | null): string | null {
  if (caller?.role !== 'sales') return null;
  if (!caller.salesRepId) throw new ForbiddenError('This sales key belongs to no sales rep. An admin can make one that does: POST /v1/api-keys with salesRepId.');
  return caller.salesRepId;
}

/** The lead, when it exists and the caller may touch it. */
export async function leadForCaller(em: EntityManager, leadId: string, caller: Caller | null, lock = false): Promise<Lead> {
  const lead = await em.findOne(Lead, leadId.toLowerCase(), lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!lead) throw new NotFoundError('Lead', leadId);
  const rep = salesRepOf(caller);
  if (rep !== null && lead.ownerId !== rep) throw new ForbiddenError('This lead is not in your queue: it belongs to another rep, or to none.');
  return lead;
}
