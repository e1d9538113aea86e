import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { CampaignReportService } from './campaign-report.service';
import { CampaignsService } from './campaigns.service';
import { CampaignReportDto } from './dto/campaign-report.dto';
import { CampaignDto, CreateCampaignDto } from './dto/campaign.dto';
import { CostDto, RecordCostDto } from './dto/cost.dto';

@ApiTags('campaigns')
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly reports: CampaignReportService,
  ) {}

  @Post()
  @Endpoint({ summary: 'Create a campaign (a draft)', roles: ['marketer'], status: 201, response: CampaignDto })
  create(@Body() body: CreateCampaignDto): Promise<CampaignDto> {
    return this.campaigns.create(body);
  }

  @Get()
  @Endpoint({ summary: 'List campaigns', roles: ['marketer', 'analyst'], response: [CampaignDto] })
  list(): Promise<CampaignDto[]> {
    return this.campaigns.list();
  }

  @Get(':id')
  @Endpoint({ summary: 'Get a campaign', roles: ['marketer', 'analyst'], response: CampaignDto, errors: [404] })
  get(@Param() params: IdParam): Promise<CampaignDto> {
    return this.campaigns.get(params.id);
  }

  @Post(':id/launch')
  @Endpoint({
    summary: 'Launch a campaign',
    description: 'Snapshots the flow\'s latest version and enrolls the audience in the background; poll the campaign for its status.',
    roles: ['marketer'],
    status: 202,
    response: CampaignDto,
    errors: [404, 409],
  })
  launch(@Param() params: IdParam): Promise<CampaignDto> {
    return this.campaigns.launch(params.id);
  }

  @Post(':id/costs')
  @Endpoint({ summary: 'Record a day\'s spend on a campaign', roles: ['marketer', 'analyst'], status: 201, response: CostDto, errors: [404] })
  recordCost(@Param() params: IdParam, @Body() body: RecordCostDto): Promise<CostDto> {
    return this.campaigns.recordCost(params.id, body);
  }

  @Get(':id/report')
  @Endpoint({ summary: 'Participation, conversions, revenue, cost and ROI', roles: ['marketer', 'analyst'], response: CampaignReportDto, errors: [404] })
  report(@Param() params: IdParam): Promise<CampaignReportDto> {
    return this.reports.report(params.id);
  }
}
