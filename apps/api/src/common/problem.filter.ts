import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldProblem } from '@ce/errors';
import { PROBLEM_CONTENT_TYPE, ProblemDto } from './problem';

const STATUS_BY_CODE: Record<string, number> = {
  INPUT_INVALID: HttpStatus.BAD_REQUEST,
  AUTH_REQUIRED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  CONFLICT: HttpStatus.CONFLICT,
};

/** Turns every error into RFC 9457 problem+json. Unknown errors become a bare 500, logged. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(error, request.url.split('?')[0]);
    if (problem.status >= 500) {
      this.logger.error({ msg: 'request failed', route: request.routeOptions?.url, err: describe(error) });
    }
    if (problem.status === HttpStatus.UNAUTHORIZED) reply.header('WWW-Authenticate', 'Bearer');
    void reply.status(problem.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  private toProblem(error: unknown, instance: string): ProblemDto {
    if (error instanceof DomainError) {
      const status = STATUS_BY_CODE[error.code] ?? HttpStatus.UNPROCESSABLE_ENTITY;
      return problem(status, error.code, error.message, instance, error.errors);
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return problem(status, codeForStatus(status), messageOf(error), instance);
    }
    // Errors Fastify raises while reading the request: bad JSON, too large, wrong media type.
    const statusCode = (error as { statusCode?: unknown })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return problem(statusCode, codeForStatus(statusCode), (error as Error).message, instance);
    }
    return problem(500, 'INTERNAL', 'Something went wrong on our side; it has been logged.', instance);
  }
}

function problem(status: number, code: string, detail: string, instance: string, errors: FieldProblem[] = []): ProblemDto {
  const title = code
    .toLowerCase()
    .split('_')
    .map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
  return {
    type: `/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    detail,
    instance,
    code,
    ...(errors.length > 0 ? { errors } : {}),
  };
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'AUTH_REQUIRED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'TOO_MANY_REQUESTS';
    default:
      return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  }
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}

function describe(error: unknown): { name: string; message: string; stack?: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { name: 'unknown', message: String(error) };
}
