import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { CreateTemplateDto, ListTemplatesQuery, TemplateDto, UpdateTemplateDto } from './dto/template.dto';
import { PreviewTemplateDto, TemplatePreviewDto } from './dto/template-preview.dto';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@Controller('v1/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @Endpoint({ summary: 'Create an email template, layout or partial', roles: ['marketer'], status: 201, response: TemplateDto, errors: [409, 422] })
  create(@Body() body: CreateTemplateDto): Promise<TemplateDto> {
    return this.templates.create(body);
  }

  @Get()
  @Endpoint({ summary: 'List templates, newest first', roles: ['marketer'], response: [TemplateDto] })
  list(@Query() query: ListTemplatesQuery): Promise<TemplateDto[]> {
    return this.templates.list(query.kind);
  }

  @Get(':id')
  @Endpoint({ summary: 'Get a template', roles: ['marketer'], response: TemplateDto, errors: [404] })
  get(@Param() params: IdParam): Promise<TemplateDto> {
    return this.templates.get(params.id);
  }

  @Patch(':id')
  @Endpoint({ summary: 'Change a template; its kind stays', roles: ['marketer'], response: TemplateDto, errors: [404, 409, 422] })
  update(@Param() params: IdParam, @Body() body: UpdateTemplateDto): Promise<TemplateDto> {
    return this.templates.update(params.id, body);
  }

  @Delete(':id')
  @Endpoint({ summary: 'Delete a template that nothing uses', roles: ['marketer'], status: 204, errors: [404, 409] })
  remove(@Param() params: IdParam): Promise<void> {
    return this.templates.remove(params.id);
  }

  @Post(':id/preview')
  @Endpoint({
    summary: 'Render an email template for a lead, as a send would',
    description: 'Layout, partials and the missing-variable policy apply; links are not tracked.',
    roles: ['marketer'],
    response: TemplatePreviewDto,
    errors: [404, 422],
  })
  preview(@Param() params: IdParam, @Body() body: PreviewTemplateDto): Promise<TemplatePreviewDto> {
    return this.templates.preview(params.id, body);
  }
}
