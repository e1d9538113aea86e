import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { CampaignReportService } from './campaign-report.service';
import { CampaignsService } from './campaigns.service';
import { CampaignReportDto, CampaignReportQuery } from './dto/campaign-report.dto';
import { CampaignEnrollmentsService } from './campaign-enrollments.service';
import { CampaignLifecycleService } from './campaign-lifecycle.service';
import { CampaignDto, CreateCampaignDto, LaunchCampaignDto, UpdateCampaignDto } from './dto/campaign.dto';
import { CampaignProgressDto, EnrollLeadsDto, EnrollResultDto, JourneyDto, LeadIdParam } from './dto/campaign-progress.dto';
import { CostDto, RecordCostDto } from './dto/cost.dto';

@ApiTags('campaigns')
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly reports: CampaignReportService,
    private readonly lifecycle: CampaignLifecycleService,
    private readonly enrollments: CampaignEnrollmentsService,
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

  @Patch(':id')
  @Endpoint({
    summary: 'Change a campaign\'s name, end date, send rate or (before launch) time zone',
    roles: ['marketer'],
    response: CampaignDto,
    errors: [404, 409],
  })
  update(@Param() params: IdParam, @Body() body: UpdateCampaignDto): Promise<CampaignDto> {
    return this.lifecycle.update(params.id, body);
  }

  @Post(':id/launch')
  @Endpoint({
    summary: 'Launch a campaign now or at a scheduled time',
    description:
      'Now: snapshots the flow\'s latest version and enrolls the audience in the background; poll `/progress`. ' +
      'With `at` in the future the campaign is `scheduled` and launches then, on the flow\'s latest version at that time.',
    roles: ['marketer'],
    status: 202,
    response: CampaignDto,
    errors: [404, 409],
  })
  launch(@Param() params: IdParam, @Body() body: LaunchCampaignDto): Promise<CampaignDto> {
    return this.lifecycle.launch(params.id, body);
  }

  @Post(':id/pause')
  @Endpoint({ summary: 'Pause: sends and actions hold, timers keep counting', roles: ['marketer'], response: CampaignDto, errors: [404, 409] })
  pause(@Param() params: IdParam): Promise<CampaignDto> {
    return this.lifecycle.pause(params.id);
  }

  @Post(':id/resume')
  @Endpoint({ summary: 'Resume: held steps, and steps that fell due, run now', roles: ['marketer'], response: CampaignDto, errors: [404, 409] })
  resume(@Param() params: IdParam): Promise<CampaignDto> {
    return this.lifecycle.resume(params.id);
  }

  @Post(':id/cancel')
  @Endpoint({ summary: 'Cancel: every running journey exits', roles: ['marketer'], response: CampaignDto, errors: [404, 409] })
  cancel(@Param() params: IdParam): Promise<CampaignDto> {
    return this.lifecycle.cancel(params.id);
  }

  @Get(':id/progress')
  @Endpoint({ summary: 'Enrollment progress, journey outcomes and messages by step', roles: ['marketer', 'analyst'], response: CampaignProgressDto, errors: [404] })
  progress(@Param() params: IdParam): Promise<CampaignProgressDto> {
    return this.enrollments.progress(params.id);
  }

  @Post(':id/enrollments')
  @Endpoint({
    summary: 'Add leads to a launched campaign',
    description: 'Each lead gets an outcome; a lead whose journey ended is enrolled again only as the flow\'s re-enrollment policy allows.',
    roles: ['marketer'],
    response: EnrollResultDto,
    errors: [404, 409],
  })
  enroll(@Param() params: IdParam, @Body() body: EnrollLeadsDto): Promise<EnrollResultDto> {
    return this.enrollments.enroll(params.id, body.leadIds);
  }

  @Get(':id/enrollments/:leadId')
  @Endpoint({ summary: 'A lead\'s journey in the campaign: current step and path so far', roles: ['marketer', 'analyst'], response: JourneyDto, errors: [404] })
  journey(@Param() params: LeadIdParam): Promise<JourneyDto> {
    return this.enrollments.journey(params.id, params.leadId);
  }

  @Post(':id/costs')
  @Endpoint({ summary: 'Record a day\'s spend on a campaign', roles: ['marketer', 'analyst'], status: 201, response: CostDto, errors: [404] })
  recordCost(@Param() params: IdParam, @Body() body: RecordCostDto): Promise<CostDto> {
    return this.campaigns.recordCost(params.id, body);
  }

  @Get(':id/report')
  @Endpoint({
    summary: 'Participation, conversions, revenue, cost and ROI',
    description:
      'From the participation and attribution roll-ups (under `model`, default last_touch) and the costs, over `from`..`to` (UTC days, inclusive; ' +
      'each bound optional, all time by default), in the campaign\'s currency. Amounts in other currencies are converted at the latest rate on or ' +
      'before their day; a missing rate is a 422 naming `currency`.',
    roles: ['marketer', 'analyst'],
    response: CampaignReportDto,
    errors: [404, 422],
  })
  report(@Param() params: IdParam, @Query() query: CampaignReportQuery): Promise<CampaignReportDto> {
    return this.reports.report(params.id, query);
  }
}
