import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { NotFoundError } from '@ce/errors';
import { Public } from '../common/auth/roles.decorator';
import { DashboardAssets } from './dashboard-assets';

/**
 * Scripts only from this server, no inline script or style, data only from this server's API,
 * and the page may not be framed.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * The dashboard page and its files. They are public and hold no data: the page asks for an API
 * key and reads everything from the report API with it. Not part of the REST API, so left out
 * of the OpenAPI document.
 */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly assets: DashboardAssets) {}

  @Get()
  @Public()
  page(@Res() reply: FastifyReply): void {
    void reply
      .headers(SECURITY_HEADERS)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(this.assets.page);
  }

  @Get('assets/:name')
  @Public()
  asset(@Param('name') name: string, @Res() reply: FastifyReply): void {
    const asset = this.assets.file(name);
    if (!asset) throw new NotFoundError('Dashboard file', name.slice(0, 100));
    void reply
      .headers(SECURITY_HEADERS)
      .header('Content-Type', asset.contentType)
      .header('Cache-Control', 'no-cache')
      .send(asset.body);
  }
}
