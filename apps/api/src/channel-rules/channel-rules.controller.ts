import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../common/auth/api-key.guard';
import { CurrentCaller } from '../common/auth/caller.decorator';
import { Endpoint } from '../common/endpoint.decorator';
import { MAX_CHANNEL_RULES } from './channel-rule-input';
import { ChannelRulesService } from './channel-rules.service';
import { RULES_CHECK_INTERVAL_MS } from './channel-taxonomy';
import { ChannelTaxonomyDto, PutChannelRulesDto } from './dto/channel-rules.dto';

@ApiTags('touchpoints')
@Controller('v1/channel-rules')
export class ChannelRulesController {
  constructor(private readonly channelRules: ChannelRulesService) {}

  @Get()
  @Endpoint({
    summary: 'Show the channel taxonomy: your rules, then the built-in defaults',
    description:
      'How touchpoints without a channel of their own get one from utm.source and utm.medium: your rules are tried first, in order, then the defaults; ' +
      'the first rule whose every pattern matches wins, and `fallback` says what is left when none does.',
    roles: ['marketer', 'analyst'],
    response: ChannelTaxonomyDto,
  })
  get(): Promise<ChannelTaxonomyDto> {
    return this.channelRules.get();
  }

  @Put()
  @ApiBody({ type: PutChannelRulesDto })
  @Endpoint({
    summary: `Replace your channel rules (up to ${MAX_CHANNEL_RULES})`,
    description:
      'The list replaces the one stored, all or nothing: when any rule is invalid, nothing changes and one 400 lists every problem by path (`rules[3].source`). ' +
      `Touchpoints ingested from now on get the new rules (through other API processes within ${RULES_CHECK_INTERVAL_MS / 1000} seconds); ` +
      'touchpoints stored before keep their channel. Answers the whole taxonomy, as GET does.',
    roles: ['analyst'],
    response: ChannelTaxonomyDto,
  })
  put(@Body() body: unknown, @CurrentCaller() caller: Caller | null): Promise<ChannelTaxonomyDto> {
    return this.channelRules.replace(body, caller);
  }
}
