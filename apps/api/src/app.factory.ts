import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ensureFirstAdminKey, IssuedApiKey } from '@ce/auth';
import type { AppConfig } from '@ce/config';
import { AppModule } from './app.module';
import { NestPinoLogger } from './common/logger';
import { createValidationPipe } from './common/validation';
import { PROBLEM_CONTENT_TYPE } from './common/problem';
import { setupOpenApi } from './openapi';

export interface ApiApp {
  app: NestFastifyApplication;
  /** The admin key made on the very first start, if this start made it. */
  firstAdminKey: IssuedApiKey | null;
}

const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * Action endpoints such as launch take no body; clients that send `Content-Type:
 * application/json` with an empty body get the same answer as those that send nothing.
 * Non-empty bodies go through Fastify's own parser, which guards against prototype poisoning.
 */
function acceptEmptyJsonBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    parseJson(request, text, done);
  });
  // One-click unsubscribe posts `List-Unsubscribe=One-Click` as a form; its content is not needed.
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}

export async function createApiApp(config: AppConfig, logger: Logger): Promise<ApiApp> {
  // Tracking tokens are long path parameters; the default limit of 100 characters is too small.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: true,
    routerOptions: { maxParamLength: 4_096 },
    // Errors the router raises before any route runs (a malformed or over-long path) bypass
    // Nest's filters; they are answered as problem+json too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void reply.status(status).header('Content-Type', PROBLEM_CONTENT_TYPE).send({
        type: '/problems/bad-request',
        title: 'Bad request',
        status,
        detail: error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path segment is too long.' : 'The request path is malformed.',
        instance: request.url.split('?')[0].slice(0, 200),
        code: 'BAD_REQUEST',
      });
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new NestPinoLogger(logger),
    // Start-up errors are thrown to the caller rather than ending the process.
    abortOnError: false,
    // JSON bodies are parsed by acceptEmptyJsonBodies below; nothing else is accepted.
    bodyParser: false,
  });
  app.useGlobalPipes(createValidationPipe());
  acceptEmptyJsonBodies(app);
  app.enableShutdownHooks();
  setupOpenApi(app);

  // One log line per request: method, route pattern, status and time; never the raw URL,
  // whose path or query could carry tokens or personal data.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      logger.info({
        msg: 'request',
        method: request.method,
        route: request.routeOptions?.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      });
      done();
    });

  await app.init();
  const firstAdminKey = await ensureFirstAdminKey(app.get(EntityManager).fork());
  return { app, firstAdminKey };
}
