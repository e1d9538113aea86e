import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Endpoint } from '../common/endpoint.decorator';
import { TrackingService } from './tracking.service';

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${title}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:4rem auto">${body}</body></html>`;
}

@ApiTags('tracking')
@Controller('t')
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  @Get('c/:token')
  @Endpoint({
    summary: 'Follow a tracked link',
    description: 'Records a click and redirects (302) to the original link. The token is signed; unknown or forged tokens get 404.',
    roles: 'public',
    status: 302,
    errors: [404],
  })
  async click(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    const url = await this.tracking.click(token);
    void reply.header('Cache-Control', 'no-store').redirect(url, 302);
  }

  @Get('u/:token')
  @ApiProduces('text/html')
  @Endpoint({
    summary: 'Unsubscribe page',
    description: 'Shows a confirmation page with a button. Opening the link changes nothing, so link-scanning bots unsubscribe no one.',
    roles: 'public',
    errors: [404],
  })
  async unsubscribePage(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.tracking.unsubscribeTarget(token);
    void reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(page('Unsubscribe', `<p>Stop receiving these emails?</p><form method="post"><button type="submit">Unsubscribe</button></form>`));
  }

  @Post('u/:token')
  @ApiProduces('text/html')
  @Endpoint({
    summary: 'Unsubscribe (one click)',
    description: 'Unsubscribes the lead from email and ends its running journeys. Mail clients call it with `List-Unsubscribe=One-Click` (RFC 8058).',
    roles: 'public',
    errors: [404],
  })
  async unsubscribe(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.tracking.unsubscribe(token);
    void reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(page('Unsubscribed', '<p>You will not receive these emails any more.</p>'));
  }

  @Get('o/:token')
  @ApiProduces('image/gif')
  @Endpoint({ summary: 'Open pixel', description: 'Records an open and returns a 1×1 GIF.', roles: 'public', errors: [404] })
  async open(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.tracking.open(token);
    void reply.header('Content-Type', 'image/gif').header('Cache-Control', 'no-store').send(PIXEL);
  }
}
