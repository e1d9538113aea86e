import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest, Caller } from './api-key.guard';

/** The API key behind the request (set by ApiKeyGuard), for audit entries. */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller | null => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().caller ?? null;
});
