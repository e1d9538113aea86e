import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Caller } from '../common/auth/api-key.guard';
import { CurrentCaller } from '../common/auth/caller.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { Endpoint } from '../common/endpoint.decorator';
import { HandoffDecisionDto, QueueDto, QueueQuery, RejectLeadDto, SalesLeadDto } from './dto/handoff.dto';
import { HandoffsService } from './handoffs.service';

@ApiTags('sales')
@Controller('v1/sales')
export class HandoffsController {
  constructor(private readonly handoffs: HandoffsService) {}

  @Get('queue')
  @Endpoint({
    summary: 'My queue: the leads I own, highest score first, with the reasons',
    description:
      'A sales key sees the leads of its own rep (a sales key that belongs to no rep is refused); admins and marketers name the rep with repId. ' +
      'Each lead comes with its three largest score contributions, its predicted chance to convert and its latest hand-off. Filter by hand-off status, stage and least score; page with `after`.',
    roles: ['sales', 'marketer'],
    response: QueueDto,
  })
  queue(@Query() query: QueueQuery, @CurrentCaller() caller: Caller | null): Promise<QueueDto> {
    return this.handoffs.queue(query, caller);
  }

  @Get('leads/:id')
  @Endpoint({
    summary: 'A lead as sales see it: its details, latest hand-off, the explanation of its score and its timeline',
    description: 'A sales key may open only the leads its rep owns (403 otherwise).',
    roles: ['sales', 'marketer'],
    response: SalesLeadDto,
    errors: [404],
  })
  lead(@Param() params: IdParam, @CurrentCaller() caller: Caller | null): Promise<SalesLeadDto> {
    return this.handoffs.lead(params.id, caller);
  }

  @Post('leads/:id/accept')
  @Endpoint({
    summary: 'Accept a lead handed to me',
    description: 'Ends the hand-off (no reminder, reassignment or escalation follows) and moves an MQL to SQL, with the change on the timeline. 409 when no hand-off of the lead waits for an answer.',
    roles: ['sales'],
    response: HandoffDecisionDto,
    errors: [404, 409],
  })
  accept(@Param() params: IdParam, @CurrentCaller() caller: Caller | null): Promise<HandoffDecisionDto> {
    return this.handoffs.accept(params.id, caller);
  }

  @Post('leads/:id/reject')
  @Endpoint({
    summary: 'Reject a lead handed to me, with a reason',
    description:
      'Ends the hand-off. disqualify: the lead is disqualified. recycle: it goes back to nurture at the lead stage with no owner, and its score does not make it an MQL again for 30 days. 409 when no hand-off of the lead waits for an answer.',
    roles: ['sales'],
    response: HandoffDecisionDto,
    errors: [404, 409],
  })
  reject(@Param() params: IdParam, @Body() body: RejectLeadDto, @CurrentCaller() caller: Caller | null): Promise<HandoffDecisionDto> {
    return this.handoffs.reject(params.id, body, caller);
  }
}
