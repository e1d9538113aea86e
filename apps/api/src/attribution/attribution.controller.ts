import { Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { AttributionService } from './attribution.service';
import { ChannelWeightDto, RefreshStartedDto } from './dto/attribution.dto';

@ApiTags('attribution')
@Controller('v1/attribution')
export class AttributionController {
  constructor(private readonly attribution: AttributionService) {}

  @Post('refresh')
  @Endpoint({
    summary: 'Recompute the data-driven models now',
    description:
      'Recomputes the Markov and Shapley channel weights over all paths (converting and not), then attributes every conversion again. Runs every day by itself; this starts it now, or returns the refresh already running.',
    roles: ['analyst'],
    status: 202,
    response: RefreshStartedDto,
  })
  refresh(): Promise<RefreshStartedDto> {
    return this.attribution.refresh();
  }

  @Get('weights')
  @Endpoint({ summary: 'The data-driven models\' channel weights', roles: ['analyst', 'marketer'], response: [ChannelWeightDto] })
  weights(): Promise<ChannelWeightDto[]> {
    return this.attribution.weights();
  }
}
