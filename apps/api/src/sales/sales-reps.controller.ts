import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/dto/id-param.dto';
import { Endpoint } from '../common/endpoint.decorator';
import { CreateSalesRepDto, SalesRepDto, UpdateSalesRepDto } from './dto/sales-rep.dto';
import { SalesRepsService } from './sales-reps.service';

@ApiTags('sales')
@Controller('v1/sales/reps')
export class SalesRepsController {
  constructor(private readonly reps: SalesRepsService) {}

  @Post()
  @Endpoint({
    summary: 'Add a sales rep',
    description: 'Routing gives leads to active reps under their capacity, the one given a lead longest ago first.',
    roles: [],
    status: 201,
    response: SalesRepDto,
  })
  create(@Body() body: CreateSalesRepDto): Promise<SalesRepDto> {
    return this.reps.create(body);
  }

  @Get()
  @Endpoint({ summary: 'List the sales reps by name, each with the hand-offs it holds open', roles: [], response: [SalesRepDto] })
  list(): Promise<SalesRepDto[]> {
    return this.reps.list();
  }

  @Get(':id')
  @Endpoint({ summary: 'Show a sales rep', roles: [], response: SalesRepDto, errors: [404] })
  get(@Param() params: IdParam): Promise<SalesRepDto> {
    return this.reps.get(params.id);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change a sales rep',
    description:
      'Changes the fields given; the others stay as they are. `capacity: null` lifts the limit; `active: false` takes the rep out of routing ' +
      '(the PATCH does not move hand-offs already assigned to the rep).',
    roles: [],
    response: SalesRepDto,
    errors: [404],
  })
  update(@Param() params: IdParam, @Body() body: UpdateSalesRepDto): Promise<SalesRepDto> {
    return this.reps.update(params.id, body);
  }
}
