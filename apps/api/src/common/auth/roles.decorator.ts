import { SetMetadata } from '@nestjs/common';
import type { Role } from '@ce/db';

export const ROLES_KEY = 'campaign-engine:roles';
export const PUBLIC_KEY = 'campaign-engine:public';

/** The roles that may call an endpoint. Admin keys may call every endpoint. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * No API key needed: only for health checks and for tracking links, which carry their own
 * signed tokens.
 */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
