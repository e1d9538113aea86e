import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { DryRunDto, DryRunResultDto } from './dto/dry-run.dto';
import { DiffQuery, FlowDiffDto, FlowVersionDto, FlowVersionSummaryDto, VersionParams } from './dto/version.dto';
import { FlowDryRunService } from './flow-dry-run.service';
import { FlowsService } from './flows.service';

const READERS = ['marketer', 'engineer'] as const;

/** Published versions (read only), the diff between two of them, and the dry run. */
@ApiTags('flows')
@Controller('v1/flows')
export class FlowVersionsController {
  constructor(
    private readonly flows: FlowsService,
    private readonly dryRuns: FlowDryRunService,
  ) {}

  @Get(':id/versions')
  @Endpoint({ summary: "List a flow's published versions, newest first", roles: [...READERS], response: [FlowVersionSummaryDto], errors: [404] })
  versions(@Param() params: IdParam): Promise<FlowVersionSummaryDto[]> {
    return this.flows.versions(params.id);
  }

  @Get(':id/versions/:version')
  @Endpoint({ summary: 'Get a published version (immutable)', roles: [...READERS], response: FlowVersionDto, errors: [404] })
  version(@Param() params: VersionParams): Promise<FlowVersionDto> {
    return this.flows.version(params.id, params.version);
  }

  @Get(':id/diff')
  @Endpoint({
    summary: 'What changed between two versions (or a version and the draft)',
    description: 'Steps added, removed and changed (each differing setting, before and after), and changes to entry, exit rules and re-enrollment.',
    roles: [...READERS],
    response: FlowDiffDto,
    errors: [404],
  })
  diff(@Param() params: IdParam, @Query() query: DiffQuery): Promise<FlowDiffDto> {
    return this.flows.diff(params.id, query.from, query.to);
  }

  @Post(':id/dry-run')
  @Endpoint({
    summary: 'Walk a flow for a lead with simulated events, without sending anything',
    description:
      'Runs the real interpreter on a simulated clock: actions complete at once, waits jump ahead, the events given are fed ' +
      "at their times, and branch conditions on the lead read the lead's data as it is now. Returns the path with times.",
    roles: [...READERS],
    response: DryRunResultDto,
    errors: [404, 422],
  })
  dryRun(@Param() params: IdParam, @Body() body: DryRunDto): Promise<DryRunResultDto> {
    return this.dryRuns.run(params.id, body);
  }
}
