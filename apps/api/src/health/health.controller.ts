import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import { Connection } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import { Endpoint } from '../common/endpoint.decorator';
import { TEMPORAL_CONNECTION } from '../temporal/temporal.module';

class HealthDto {
  @ApiProperty({ example: 'ok' })
  status!: string;
}

class ReadinessDto {
  @ApiProperty({ example: 'ready', enum: ['ready', 'not_ready'] })
  status!: string;

  @ApiProperty({ example: { database: 'up', temporal: 'up' } })
  checks!: Record<string, 'up' | 'down'>;
}

const CHECK_TIMEOUT_MS = 2_000;

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly em: EntityManager,
    @Inject(TEMPORAL_CONNECTION) private readonly temporal: Connection,
  ) {}

  @Get('health')
  @Endpoint({ summary: 'Liveness: the process is up', roles: 'public', response: HealthDto })
  health(): HealthDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @Endpoint({
    summary: 'Readiness: the database and Temporal are reachable',
    description: 'Answers 503 with the failing checks when a dependency is down.',
    roles: 'public',
    response: ReadinessDto,
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessDto> {
    const [database, temporal] = await Promise.all([
      check(() => this.em.fork().execute('select 1')),
      check(() => this.temporal.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => this.temporal.healthService.check({}))),
    ]);
    const ok = database === 'up' && temporal === 'up';
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'not_ready', checks: { database, temporal } };
  }
}

async function check(probe: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
