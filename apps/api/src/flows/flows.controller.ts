import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { CreateFlowDto, FlowDto } from './dto/flow.dto';
import { FlowsService } from './flows.service';

@ApiTags('flows')
@Controller('v1/flows')
export class FlowsController {
  constructor(private readonly flows: FlowsService) {}

  @Post()
  @Endpoint({
    summary: 'Create and publish a flow',
    description: 'The definition is checked in full (each step against its type, and the graph); problems come back as 422 with their paths.',
    roles: ['marketer'],
    status: 201,
    response: FlowDto,
    errors: [422],
  })
  create(@Body() body: CreateFlowDto): Promise<FlowDto> {
    return this.flows.create(body);
  }

  @Get(':id')
  @Endpoint({ summary: 'Get a flow with its latest version', roles: ['marketer', 'engineer'], response: FlowDto, errors: [404] })
  get(@Param() params: IdParam): Promise<FlowDto> {
    return this.flows.get(params.id);
  }
}
