import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { CurrencyRatesService, MAX_LISTED_RATES } from './currency-rates.service';
import { CurrencyRatesDto, CurrencyRatesQuery, PutCurrencyRatesDto, PutCurrencyRatesResultDto } from './dto/currency-rate.dto';
import { BASE_CURRENCY, MAX_RATES } from './rate-input';

@ApiTags('reports')
@Controller('v1/currency-rates')
export class CurrencyRatesController {
  constructor(private readonly rates: CurrencyRatesService) {}

  @Put()
  @ApiBody({ type: PutCurrencyRatesDto })
  @Endpoint({
    summary: `Store up to ${MAX_RATES.toLocaleString('en')} currency rates`,
    description:
      `A rate is what one unit of a currency was worth in ${BASE_CURRENCY} on a day; reports use the latest rate on or before each day. ` +
      'A rate for a currency and day that has one replaces it. All or nothing: when any item is invalid, nothing is stored and ' +
      'one 400 lists every problem by path (`rates[3].rate`).',
    roles: ['analyst'],
    response: PutCurrencyRatesResultDto,
  })
  put(@Body() body: unknown): Promise<PutCurrencyRatesResultDto> {
    return this.rates.put(body);
  }

  @Get()
  @Endpoint({
    summary: 'List stored currency rates',
    description: `By currency, then day. At most ${MAX_LISTED_RATES.toLocaleString('en')} rates: a listing that would hold more is a 422; narrow it.`,
    roles: ['analyst', 'marketer'],
    response: CurrencyRatesDto,
    errors: [422],
  })
  list(@Query() query: CurrencyRatesQuery): Promise<CurrencyRatesDto> {
    return this.rates.list(query);
  }
}
