import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { CreateFlowDto, DefinitionBodyDto, DraftDto, FlowDto, FlowPageDto, ListFlowsQuery, ValidationResultDto } from './dto/flow.dto';
import { FlowVersionDto } from './dto/version.dto';
import { FlowsService } from './flows.service';

const READERS = ['marketer', 'engineer'] as const;

/** Flows and their drafts; versions, diffs and dry runs are in FlowVersionsController. */
@ApiTags('flows')
@Controller('v1/flows')
export class FlowsController {
  constructor(private readonly flows: FlowsService) {}

  @Post()
  @Endpoint({
    summary: 'Create a flow: publish version 1, or save a draft',
    description:
      'With `publish` true (the default) the definition is checked in full (each step against its type, the graph, and the ' +
      'templates, segments and attributes it names) and published as version 1; problems come back as 422 with their paths. ' +
      'With `publish: false` it is saved as a draft, valid or not, and its problems are listed.',
    roles: ['marketer'],
    status: 201,
    response: FlowDto,
    errors: [422],
  })
  create(@Body() body: CreateFlowDto): Promise<FlowDto> {
    return this.flows.create(body);
  }

  @Get()
  @Endpoint({ summary: 'List flows, newest first', roles: [...READERS], response: FlowPageDto })
  list(@Query() query: ListFlowsQuery): Promise<FlowPageDto> {
    return this.flows.list(query);
  }

  @Post('validate')
  @Endpoint({
    summary: 'Check a definition in full without saving it',
    description: 'The same checks as publishing; every problem is listed with its path.',
    roles: [...READERS],
    response: ValidationResultDto,
  })
  validate(@Body() body: DefinitionBodyDto): Promise<ValidationResultDto> {
    return this.flows.validate(body.definition);
  }

  @Get(':id')
  @Endpoint({ summary: 'Get a flow: its latest version and its draft', roles: [...READERS], response: FlowDto, errors: [404] })
  get(@Param() params: IdParam): Promise<FlowDto> {
    return this.flows.get(params.id);
  }

  @Get(':id/draft')
  @Endpoint({ summary: "Get a flow's draft and its problems", roles: [...READERS], response: DraftDto, errors: [404] })
  getDraft(@Param() params: IdParam): Promise<DraftDto> {
    return this.flows.getDraft(params.id);
  }

  @Put(':id/draft')
  @Endpoint({
    summary: "Save or replace a flow's draft",
    description: 'Saved even when it does not validate yet (it must be a JSON object of at most 256 KB); its problems are listed.',
    roles: ['marketer'],
    response: DraftDto,
    errors: [404],
  })
  saveDraft(@Param() params: IdParam, @Body() body: DefinitionBodyDto): Promise<DraftDto> {
    return this.flows.saveDraft(params.id, body.definition);
  }

  @Delete(':id/draft')
  @Endpoint({ summary: "Discard a flow's draft", roles: ['marketer'], status: 204, errors: [404] })
  deleteDraft(@Param() params: IdParam): Promise<void> {
    return this.flows.deleteDraft(params.id);
  }

  @Post(':id/publish')
  @Endpoint({
    summary: 'Publish the draft as the next version',
    description:
      'Checks the draft in full (422 listing every problem under `definition.`), freezes it as version n+1 and clears the ' +
      'draft. New enrollments take the new version; running ones keep theirs. 409 when there is no draft.',
    roles: ['marketer'],
    status: 201,
    response: FlowVersionDto,
    errors: [404, 409, 422],
  })
  publish(@Param() params: IdParam): Promise<FlowVersionDto> {
    return this.flows.publish(params.id);
  }
}
