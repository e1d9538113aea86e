import { applyDecorators, HttpCode, Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Role } from '@ce/db';
import { Public, Roles } from './auth/roles.decorator';
import { PROBLEM_CONTENT_TYPE, ProblemDto } from './problem';

export interface EndpointOptions {
  summary: string;
  description?: string;
  /** Roles allowed besides admin; `'public'` for endpoints protected another way. */
  roles: Role[] | 'public';
  /** The success status and body; omit the type for an empty body. */
  status?: number;
  response?: Type<unknown> | [Type<unknown>];
  /** Error statuses the endpoint can answer with besides 400/401/403. */
  errors?: number[];
}

const problemContent = {
  [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } },
};

/**
 * Declares an endpoint's roles and documents it in OpenAPI in one place: security scheme,
 * success schema and the problem+json error responses.
 */
export function Endpoint(options: EndpointOptions): MethodDecorator {
  const status = options.status ?? 200;
  const isPublic = options.roles === 'public';
  const errors = new Set<number>([400, ...(isPublic ? [] : [401, 403]), ...(options.errors ?? [])]);
  const roleText = isPublic ? 'No API key needed.' : `Roles: admin${(options.roles as Role[]).map((r) => `, ${r}`).join('')}.`;
  const decorators: (MethodDecorator | ClassDecorator)[] = [
    ApiOperation({ summary: options.summary, description: [options.description, roleText].filter(Boolean).join('\n\n') }),
    ApiExtraModels(ProblemDto),
    // Machine-readable roles, so clients and the route-by-route auth tests can read them.
    ApiExtension('x-roles', isPublic ? ['public'] : ['admin', ...(options.roles as Role[])]),
    HttpCode(status),
    ApiResponse({
      status,
      description: 'Success',
      ...(options.response ? { type: options.response as Type<unknown> } : {}),
    }),
    ...[...errors].map((code) => ApiResponse({ status: code, description: describeStatus(code), content: problemContent })),
  ];
  if (isPublic) decorators.push(Public());
  else decorators.push(Roles(...(options.roles as Role[])), ApiBearerAuth('bearer'), ApiSecurity('api-key'));
  return applyDecorators(...decorators);
}

function describeStatus(status: number): string {
  return (
    {
      400: 'Invalid input; `errors` lists each bad field by path',
      401: 'No API key, or an unknown one',
      403: 'The key\'s role may not use this endpoint',
      404: 'Not found',
      409: 'Conflicts with the current state',
      422: 'Well-formed but not acceptable; `errors` lists the problems',
    }[status] ?? 'Error'
  );
}
