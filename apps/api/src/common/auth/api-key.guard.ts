import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyRequest } from 'fastify';
import { findApiKey } from '@ce/auth';
import type { ApiKey, Role } from '@ce/db';
import { AuthRequiredError, ForbiddenError } from '@ce/errors';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

export interface Caller {
  keyId: string;
  role: Role;
  /** The sales rep a `sales` key belongs to; null for other keys and for sales keys of nobody. */
  salesRepId: string | null;
}

export type AuthenticatedRequest = FastifyRequest & { caller?: Caller };

/**
 * Every endpoint needs a key whose role it allows. An endpoint that declares no roles and is
 * not public is refused for everyone but admin, so a forgotten declaration fails closed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly em: EntityManager,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = readKey(request);
    if (!presented) throw new AuthRequiredError();
    const key: ApiKey | null = await findApiKey(this.em.fork(), presented);
    if (!key) throw new AuthRequiredError('The API key is not valid.');

    request.caller = { keyId: key.id, role: key.role, salesRepId: key.salesRep?.id ?? null };
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (key.role === 'admin' || allowed.includes(key.role)) return true;
    throw new ForbiddenError(
      allowed.length > 0
        ? `This endpoint is for the roles ${['admin', ...allowed].join(', ')}; this key has the role ${key.role}.`
        : 'This endpoint is for admin keys only.',
    );
  }
}

function readKey(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() !== '' ? apiKey.trim() : null;
}
