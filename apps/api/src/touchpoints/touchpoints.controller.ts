import { Body, Controller, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdentifyResultDto, IdentifyVisitorDto, IngestResultDto, IngestTouchpointsDto } from './dto/touchpoint.dto';
import { MAX_TOUCHPOINTS } from './touchpoint-input';
import { TouchpointsService } from './touchpoints.service';

const WRITERS = ['marketer', 'analyst'] as const;

@ApiTags('touchpoints')
@Controller('v1/touchpoints')
export class TouchpointsController {
  constructor(private readonly touchpoints: TouchpointsService) {}

  @Post()
  @ApiBody({ type: IngestTouchpointsDto })
  @Endpoint({
    summary: `Record up to ${MAX_TOUCHPOINTS.toLocaleString('en')} touchpoints from any channel`,
    description:
      'All or nothing: when any item is invalid, nothing is stored and one 422 lists every problem by path (`touchpoints[3].occurredAt`). ' +
      'Idempotent by externalId: items stored before are counted as duplicates. ' +
      'A visitor named together with a lead has its anonymous touchpoints joined to that lead. ' +
      'Conversions whose look-back window (GET /v1/attribution/settings) gains a touchpoint are attributed again.',
    roles: [...WRITERS],
    response: IngestResultDto,
    errors: [413, 422],
  })
  ingest(@Body() body: unknown): Promise<IngestResultDto> {
    return this.touchpoints.ingest(body);
  }

  @Post('identify')
  @ApiBody({ type: IdentifyVisitorDto })
  @Endpoint({
    summary: 'Join a visitor\'s anonymous touchpoints to a lead',
    description: 'Conversions of the lead whose look-back window (GET /v1/attribution/settings) gains a touchpoint are attributed again.',
    roles: [...WRITERS],
    response: IdentifyResultDto,
    errors: [422],
  })
  identify(@Body() body: unknown): Promise<IdentifyResultDto> {
    return this.touchpoints.identify(body);
  }
}
