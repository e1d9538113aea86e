import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { CreateLeadDto, LeadDto, LeadPageDto, ListLeadsQuery } from './dto/lead.dto';
import { LeadsService } from './leads.service';

@ApiTags('leads')
@Controller('v1/leads')
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Post()
  @Endpoint({ summary: 'Create a lead', roles: ['marketer'], status: 201, response: LeadDto, errors: [409] })
  create(@Body() body: CreateLeadDto): Promise<LeadDto> {
    return this.leads.create(body);
  }

  @Get()
  @Endpoint({ summary: 'List leads, a page at a time', roles: ['marketer', 'sales', 'analyst'], response: LeadPageDto })
  list(@Query() query: ListLeadsQuery): Promise<LeadPageDto> {
    return this.leads.list(query);
  }

  @Get(':id')
  @Endpoint({ summary: 'Get a lead', roles: ['marketer', 'sales', 'analyst'], response: LeadDto, errors: [404] })
  get(@Param() params: IdParam): Promise<LeadDto> {
    return this.leads.get(params.id);
  }
}
