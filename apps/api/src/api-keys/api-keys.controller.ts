import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreateApiKeyDto, IssuedApiKeyDto } from './dto/api-key.dto';

@ApiTags('api-keys')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Endpoint({
    summary: 'Create an API key (shown once)',
    description: 'A `sales` key may belong to a sales rep (`salesRepId`): it then works the rep\'s own leads. `salesRepId` with another role is refused.',
    roles: [],
    status: 201,
    response: IssuedApiKeyDto,
  })
  create(@Body() body: CreateApiKeyDto): Promise<IssuedApiKeyDto> {
    return this.apiKeys.create(body);
  }

  @Get()
  @Endpoint({ summary: 'List API keys', roles: [], response: [ApiKeyDto] })
  list(): Promise<ApiKeyDto[]> {
    return this.apiKeys.list();
  }

  @Delete(':id')
  @Endpoint({ summary: 'Revoke an API key', roles: [], response: ApiKeyDto, errors: [404] })
  revoke(@Param() params: IdParam): Promise<ApiKeyDto> {
    return this.apiKeys.revoke(params.id);
  }
}
