import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { CONSENT_CHANNELS } from '@ce/db';
import type { Caller } from '../common/auth/api-key.guard';
import { CurrentCaller } from '../common/auth/caller.decorator';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { BatchLeadsDto, BatchResultDto } from './dto/batch.dto';
import { ConsentChangeDto, LeadDto, LeadPageDto, ListLeadsQuery, UpsertLeadResultDto } from './dto/lead.dto';
import { LeadWriteDto } from './dto/lead-write.dto';
import { DuplicateGroupDto, MergeLeadsDto, MergeResultDto } from './dto/merge.dto';
import { TimelineDto, TimelineQuery } from './dto/timeline.dto';
import { LeadMergeService } from './lead-merge.service';
import { LeadTimelineService } from './lead-timeline.service';
import { LeadsService } from './leads.service';

/** The channel is checked with the body by the service, so both problems show at once. */
class LeadChannelParams extends IdParam {
  @Allow()
  channel!: string;
}

const READERS = ['marketer', 'sales', 'analyst'] as const;

@ApiTags('leads')
@Controller('v1/leads')
export class LeadsController {
  constructor(
    private readonly leads: LeadsService,
    private readonly timelines: LeadTimelineService,
    private readonly merges: LeadMergeService,
  ) {}

  @Post()
  @ApiBody({ type: LeadWriteDto })
  @Endpoint({ summary: 'Create a lead', roles: ['marketer'], status: 201, response: LeadDto, errors: [409] })
  create(@Body() body: unknown): Promise<LeadDto> {
    return this.leads.create(body);
  }

  @Put()
  @ApiBody({ type: LeadWriteDto })
  @Endpoint({
    summary: 'Create or update a lead by email',
    description: 'Idempotent: the same body twice leaves the lead as it was (`outcome: unchanged`). Fields left out are kept.',
    roles: ['marketer'],
    response: UpsertLeadResultDto,
  })
  upsert(@Body() body: unknown): Promise<UpsertLeadResultDto> {
    return this.leads.upsert(body);
  }

  @Post('batch')
  @Endpoint({
    summary: 'Create or update up to 10,000 leads by email',
    description: 'Each lead gets its own result; invalid ones are rejected with their errors while the rest are written.',
    roles: ['marketer'],
    response: BatchResultDto,
  })
  batch(@Body() body: BatchLeadsDto): Promise<BatchResultDto> {
    return this.leads.batch(body.leads);
  }

  @Get()
  @Endpoint({ summary: 'List leads with filters, a page at a time', roles: [...READERS], response: LeadPageDto })
  list(@Query() query: ListLeadsQuery): Promise<LeadPageDto> {
    return this.leads.list(query);
  }

  @Get('duplicates')
  @Endpoint({
    summary: 'Likely duplicates',
    description: 'Groups of leads with the same mailbox (ignoring +tags and Gmail dots), the same external id, or the same name and company.',
    roles: ['marketer'],
    response: [DuplicateGroupDto],
  })
  duplicates(): Promise<DuplicateGroupDto[]> {
    return this.merges.duplicates();
  }

  @Get(':id')
  @Endpoint({ summary: 'Get a lead', roles: [...READERS], response: LeadDto, errors: [404] })
  get(@Param() params: IdParam): Promise<LeadDto> {
    return this.leads.get(params.id);
  }

  @Patch(':id')
  @ApiBody({ type: LeadWriteDto })
  @Endpoint({ summary: 'Change a lead', description: 'Only the fields given change; null clears a field or removes an attribute.', roles: ['marketer'], response: LeadDto, errors: [404, 409] })
  update(@Param() params: IdParam, @Body() body: unknown): Promise<LeadDto> {
    return this.leads.update(params.id, body);
  }

  @Put(':id/consent/:channel')
  @ApiParam({ name: 'channel', enum: CONSENT_CHANNELS })
  @ApiBody({ type: ConsentChangeDto })
  @Endpoint({ summary: 'Record a consent change for one channel', roles: ['marketer', 'sales'], response: LeadDto, errors: [404] })
  consent(@Param() params: LeadChannelParams, @Body() body: unknown): Promise<LeadDto> {
    return this.leads.setConsent(params.id, params.channel, body, 'api');
  }

  @Delete(':id')
  @Endpoint({ summary: 'Erase a lead and its history', roles: ['marketer'], status: 204, errors: [404] })
  remove(@Param() params: IdParam, @CurrentCaller() caller: Caller | null): Promise<void> {
    return this.leads.remove(params.id, caller);
  }

  @Get(':id/timeline')
  @Endpoint({ summary: 'The lead\'s history, newest first', roles: [...READERS], response: TimelineDto, errors: [404] })
  timeline(@Param() params: IdParam, @Query() query: TimelineQuery): Promise<TimelineDto> {
    return this.timelines.timeline(params.id, query);
  }

  @Post(':id/merge')
  @Endpoint({
    summary: 'Merge duplicates into this lead',
    description: 'Moves their touchpoints, messages, conversions, enrollments, consent and ids onto this lead, then removes them. Audited.',
    roles: ['marketer'],
    response: MergeResultDto,
    errors: [404],
  })
  merge(@Param() params: IdParam, @Body() body: MergeLeadsDto, @CurrentCaller() caller: Caller | null): Promise<MergeResultDto> {
    return this.merges.merge(params.id, body.duplicateIds, caller);
  }
}
