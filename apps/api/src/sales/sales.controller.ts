import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Caller } from '../common/auth/api-key.guard';
import { CurrentCaller } from '../common/auth/caller.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { Endpoint } from '../common/endpoint.decorator';
import { DealsService } from './deals.service';
import { DealWonDto, LoseDealDto, OpenOpportunityDto, StageOutcomeDto, WinDealDto } from './dto/deal.dto';

@ApiTags('sales')
@Controller('v1/sales/leads/:id')
export class SalesController {
  constructor(private readonly deals: DealsService) {}

  @Post('opportunity')
  @Endpoint({
    summary: 'Open an opportunity for a lead',
    description:
      'Moves the lead to the opportunity stage (from any earlier stage, or from disqualified) and records the change with its time and the deal. ' +
      'A lead already at opportunity or customer stays where it is. The W-shaped attribution model credits the touch before this moment. A sales key may only act on the leads its rep owns.',
    roles: ['sales'],
    response: StageOutcomeDto,
    errors: [404],
  })
  opportunity(@Param() params: IdParam, @Body() body: OpenOpportunityDto, @CurrentCaller() caller: Caller | null): Promise<StageOutcomeDto> {
    return this.deals.openOpportunity(params.id, body, caller);
  }

  @Post('won')
  @Endpoint({
    summary: 'Record a won deal: a conversion with its amount, and the lead becomes a customer',
    description:
      'Records a conversion (type deal_won unless given) worth the amount, attributed like any conversion, and moves the lead to the customer stage. ' +
      'Idempotent by dealId: sending the same deal again returns the conversion already recorded; a dealId already won for another lead is a 409.',
    roles: ['sales'],
    status: 201,
    response: DealWonDto,
    errors: [404, 409],
  })
  won(@Param() params: IdParam, @Body() body: WinDealDto, @CurrentCaller() caller: Caller | null): Promise<DealWonDto> {
    return this.deals.win(params.id, body, caller);
  }

  @Post('lost')
  @Endpoint({
    summary: 'Record a lost deal, with the reason',
    description:
      'Records the loss on the lead\'s timeline (deal_lost). A lead at SQL or opportunity goes back to nurture at the lead stage with no owner (recycle, the default) or is disqualified; ' +
      'a customer, or a lead not yet with sales, keeps its stage. A sales key may only record deals of the leads its rep owns.',
    roles: ['sales'],
    response: StageOutcomeDto,
    errors: [404],
  })
  lost(@Param() params: IdParam, @Body() body: LoseDealDto, @CurrentCaller() caller: Caller | null): Promise<StageOutcomeDto> {
    return this.deals.lose(params.id, body, caller);
  }
}
