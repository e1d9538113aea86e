import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Endpoint } from '../common/endpoint.decorator';
import { TrackingService } from './tracking.service';

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

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

  @Get('o/:token')
  @ApiProduces('image/gif')
  @Endpoint({ summary: 'Open pixel', description: 'Records an open and returns a 1×1 GIF.', roles: 'public', errors: [404] })
  async open(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.tracking.open(token);
    void reply.header('Content-Type', 'image/gif').header('Cache-Control', 'no-store').send(PIXEL);
  }
}
