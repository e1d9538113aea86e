import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../common/auth/api-key.guard';
import { CurrentCaller } from '../common/auth/caller.decorator';
import { Endpoint } from '../common/endpoint.decorator';
import { PutRoutingSettingsDto, RoutingSettingsDto } from './dto/routing-settings.dto';
import { MAX_ROUTING_RULES } from './routing-settings-input';
import { RoutingSettingsService } from './routing-settings.service';

@ApiTags('sales')
@Controller('v1/sales/routing')
export class RoutingSettingsController {
  constructor(private readonly routing: RoutingSettingsService) {}

  @Get()
  @Endpoint({
    summary: 'Show how MQLs are routed to sales reps',
    description: 'The routing rules in order, how long an owner has to accept, what happens when the time runs out, and the hand-off notifications.',
    roles: [],
    response: RoutingSettingsDto,
  })
  get(): Promise<RoutingSettingsDto> {
    return this.routing.get();
  }

  @Put()
  @ApiBody({ type: PutRoutingSettingsDto })
  @Endpoint({
    summary: `Replace the routing settings (up to ${MAX_ROUTING_RULES} rules)`,
    description:
      'The body replaces the settings whole, all or nothing: when anything is invalid (a rule, a condition that names an unknown attribute or segment, ' +
      'an unknown rep, a template that does not compile), nothing changes and one 400 lists every problem by path (`rules[2].repIds[0]`). ' +
      'Fields left out become null. Answers the settings, as GET does.',
    roles: [],
    response: RoutingSettingsDto,
  })
  put(@Body() body: unknown, @CurrentCaller() caller: Caller | null): Promise<RoutingSettingsDto> {
    return this.routing.replace(body, caller);
  }
}
