import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { ExportLeadsQuery } from './dto/export-leads.query';
import { LeadExportService } from './lead-export.service';

@ApiTags('leads')
@Controller('v1/leads/export')
export class LeadExportController {
  constructor(private readonly exports: LeadExportService) {}

  @Get()
  @ApiProduces('text/csv')
  @Endpoint({
    summary: 'Export leads as CSV',
    description:
      'Streams every matching lead (filters combine with AND): its fields, one `attr:<name>` column per declared attribute, ' +
      'and `consent:email`. An unknown segment is a 400 naming `segmentId`.',
    roles: ['marketer', 'analyst'],
  })
  async export(@Query() query: ExportLeadsQuery): Promise<StreamableFile> {
    return new StreamableFile(await this.exports.export(query), {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="leads.csv"',
    });
  }
}
