import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { IdParam } from '../common/dto/id-param.dto';
import { CreateSegmentDto, SegmentDto, UpdateSegmentDto } from './dto/segment.dto';
import { MembershipChangeDto, SegmentMembersDto } from './dto/segment-members.dto';
import { PreviewDefinitionDto, PreviewQuery, SegmentPreviewDto } from './dto/segment-preview.dto';
import { SegmentsService } from './segments.service';

@ApiTags('segments')
@Controller('v1/segments')
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @Post()
  @Endpoint({ summary: 'Create a dynamic or static segment', roles: ['marketer'], status: 201, response: SegmentDto, errors: [422] })
  create(@Body() body: CreateSegmentDto): Promise<SegmentDto> {
    return this.segments.create(body);
  }

  @Get()
  @Endpoint({ summary: 'List segments', roles: ['marketer', 'analyst'], response: [SegmentDto] })
  list(): Promise<SegmentDto[]> {
    return this.segments.list();
  }

  @Post('preview')
  @Endpoint({ summary: 'Count and sample the leads an unsaved definition selects', roles: ['marketer', 'analyst'], response: SegmentPreviewDto, errors: [422] })
  previewDefinition(@Body() body: PreviewDefinitionDto, @Query() query: PreviewQuery): Promise<SegmentPreviewDto> {
    return this.segments.previewDefinition(body.definition, query.sample);
  }

  @Get(':id')
  @Endpoint({ summary: 'Get a segment', roles: ['marketer', 'analyst'], response: SegmentDto, errors: [404] })
  get(@Param() params: IdParam): Promise<SegmentDto> {
    return this.segments.get(params.id);
  }

  @Patch(':id')
  @Endpoint({ summary: 'Rename a segment or change its definition', roles: ['marketer'], response: SegmentDto, errors: [404, 409, 422] })
  update(@Param() params: IdParam, @Body() body: UpdateSegmentDto): Promise<SegmentDto> {
    return this.segments.update(params.id, body);
  }

  @Delete(':id')
  @Endpoint({ summary: 'Delete a segment no other segment or pending campaign uses', roles: ['marketer'], status: 204, errors: [404, 409] })
  remove(@Param() params: IdParam): Promise<void> {
    return this.segments.remove(params.id);
  }

  @Post(':id/members')
  @Endpoint({ summary: 'Add leads to a static segment', roles: ['marketer'], response: MembershipChangeDto, errors: [404, 409] })
  addMembers(@Param() params: IdParam, @Body() body: SegmentMembersDto): Promise<MembershipChangeDto> {
    return this.segments.addMembers(params.id, body.leadIds);
  }

  @Delete(':id/members')
  @Endpoint({ summary: 'Remove leads from a static segment', roles: ['marketer'], response: MembershipChangeDto, errors: [404, 409] })
  removeMembers(@Param() params: IdParam, @Body() body: SegmentMembersDto): Promise<MembershipChangeDto> {
    return this.segments.removeMembers(params.id, body.leadIds);
  }

  @Get(':id/preview')
  @Endpoint({ summary: 'Count and sample the leads in a segment now', roles: ['marketer', 'analyst'], response: SegmentPreviewDto, errors: [404, 422] })
  preview(@Param() params: IdParam, @Query() query: PreviewQuery): Promise<SegmentPreviewDto> {
    return this.segments.preview(params.id, query.sample);
  }
}
