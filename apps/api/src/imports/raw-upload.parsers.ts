import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Media types a lead file may be uploaded as. */
export const RAW_UPLOAD_TYPES = ['text/csv', 'application/x-ndjson', 'application/octet-stream'] as const;

/** Marks a route whose body is handed over as the raw request stream, unread and unlimited. */
export const RawUpload = () => RouteConfig({ rawUpload: true });

/**
 * Registers body parsers for the upload media types that read nothing: the route gets the
 * request stream itself, to write to disk as it arrives. Fastify's bodyLimit applies only to
 * bodies it reads, so it keeps guarding JSON while files of any size stream through. Routes not
 * marked with @RawUpload() keep refusing these types (415), as they did before.
 */
@Injectable()
export class RawUploadParsers implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addContentTypeParser !== 'function') return;
    for (const type of RAW_UPLOAD_TYPES) {
      if (fastify.hasContentTypeParser(type)) {
        throw new Error(`A body parser for ${type} is registered already; lead file uploads need to receive the raw stream.`);
      }
      fastify.addContentTypeParser(type, (request: FastifyRequest, payload, done) => {
        if ((request.routeOptions.config as { rawUpload?: boolean } | undefined)?.rawUpload) done(null, payload);
        else done(Object.assign(new Error(`Unsupported Media Type: ${type}`), { statusCode: 415 }), undefined);
      });
    }
  }
}
