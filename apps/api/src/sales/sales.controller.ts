import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/dto/id-param.dto';
import { Endpoint } from '../common/endpoint.decorator';
import { DealsService } from './deals.service';
import { DealWonDto, OpenOpportunityDto, StageOutcomeDto, WinDealDto } from './dto/deal.dto';

@ApiTags('sales')
@Controller('v1/sales/leads/:id')
export class SalesController {
  constructor(private readonly deals: DealsService) {}

  @Post('opportunity')
  @Endpoint({
    summary: 'Open an opportunity for a lead',
    description:
      'Moves the lead to the opportunity stage (from any earlier stage, or from disqualified) and records the change with its time and the deal. ' +
      'A lead already at opportunity or customer stays where it is. The W-shaped attribution model credits the touch before this moment.',
    roles: ['sales'],
    response: StageOutcomeDto,
    errors: [404],
  })
  opportunity(@Param() params: IdParam, @Body() body: OpenOpportunityDto): Promise<StageOutcomeDto> {
    return this.deals.openOpportunity(params.id, body);
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
  won(@Param() params: IdParam, @Body() body: WinDealDto): Promise<DealWonDto> {
    return this.deals.win(params.id, body);
  }
}
