import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { AttributeDefinitionsService } from './attribute-definitions.service';
import { AttributeDefinitionDto, CreateAttributeDefinitionDto, UpdateAttributeDefinitionDto } from './dto/attribute-definition.dto';

@ApiTags('attribute-definitions')
@Controller('v1/attribute-definitions')
export class AttributeDefinitionsController {
  constructor(private readonly definitions: AttributeDefinitionsService) {}

  @Post()
  @Endpoint({ summary: 'Declare a custom lead attribute', roles: ['marketer'], status: 201, response: AttributeDefinitionDto, errors: [409] })
  create(@Body() body: CreateAttributeDefinitionDto): Promise<AttributeDefinitionDto> {
    return this.definitions.create(body);
  }

  @Get()
  @Endpoint({ summary: 'List custom lead attributes', roles: ['marketer', 'sales', 'analyst', 'engineer'], response: [AttributeDefinitionDto] })
  list(): Promise<AttributeDefinitionDto[]> {
    return this.definitions.list();
  }

  @Patch(':id')
  @Endpoint({ summary: 'Relabel an attribute or add enum values', roles: ['marketer'], response: AttributeDefinitionDto, errors: [404] })
  update(@Param() params: IdParam, @Body() body: UpdateAttributeDefinitionDto): Promise<AttributeDefinitionDto> {
    return this.definitions.update(params.id, body);
  }

  @Delete(':id')
  @Endpoint({ summary: 'Remove an attribute declaration', roles: ['marketer'], status: 204, errors: [404] })
  remove(@Param() params: IdParam): Promise<void> {
    return this.definitions.remove(params.id);
  }
}
