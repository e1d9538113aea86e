import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { CreateTemplateDto, TemplateDto } from './dto/template.dto';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@Controller('v1/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @Endpoint({ summary: 'Create an email template', roles: ['marketer'], status: 201, response: TemplateDto, errors: [422] })
  create(@Body() body: CreateTemplateDto): Promise<TemplateDto> {
    return this.templates.create(body);
  }

  @Get()
  @Endpoint({ summary: 'List templates', roles: ['marketer'], response: [TemplateDto] })
  list(): Promise<TemplateDto[]> {
    return this.templates.list();
  }

  @Get(':id')
  @Endpoint({ summary: 'Get a template', roles: ['marketer'], response: TemplateDto, errors: [404] })
  get(@Param() params: IdParam): Promise<TemplateDto> {
    return this.templates.get(params.id);
  }
}
