import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { AttributionService } from './attribution.service';
import { AttributionSettingsDto, ChannelWeightDto, RefreshStartedDto, SettingsChangedDto, UpdateAttributionSettingsDto } from './dto/attribution.dto';

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

  @Get('settings')
  @Endpoint({ summary: 'The look-back window and the time-decay half-life', roles: ['analyst', 'marketer'], response: AttributionSettingsDto })
  settings(): Promise<AttributionSettingsDto> {
    return this.attribution.settings();
  }

  @Put('settings')
  @Endpoint({
    summary: 'Change the look-back window and the time-decay half-life',
    description:
      'Touchpoints up to `lookbackDays` (1–365) before a conversion earn credit; the time-decay model halves a touch\'s weight every `halfLifeDays`. ' +
      'A change attributes every conversion again (and recomputes the data-driven models over paths in the new window) in the background; ' +
      'the answer names that refresh. Until it ends, reports mix credits from the old and the new settings.',
    roles: ['analyst'],
    response: SettingsChangedDto,
  })
  updateSettings(@Body() body: UpdateAttributionSettingsDto): Promise<SettingsChangedDto> {
    return this.attribution.updateSettings(body);
  }
}
