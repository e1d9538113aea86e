import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { RoiReportDto, RoiReportQuery } from './dto/roi-report.dto';
import { roiReportCsv } from './roi-csv';
import { RoiReportService } from './roi-report.service';

@ApiTags('reports')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly roi: RoiReportService) {}

  @Get('roi')
  @ApiProduces('application/json', 'text/csv')
  @Endpoint({
    summary: 'Conversions, revenue, cost, ROI, ROAS and cost per acquisition by campaign and/or channel',
    description:
      'Summed over the days from `from` to `to` (UTC, inclusive) from the attribution roll-ups and the costs, one row per group and model, ' +
      'with a total per model. Amounts in other currencies are converted at the latest rate on or before their day; when a rate is missing ' +
      'the answer is a 422 naming `currency` that lists the currencies and days lacking one. `format=csv` gives the same fields as CSV.',
    roles: ['analyst', 'marketer'],
    response: RoiReportDto,
    errors: [422],
  })
  async report(@Query() query: RoiReportQuery): Promise<RoiReportDto | StreamableFile> {
    const { format, report } = await this.roi.report(query);
    if (format === 'json') return report;
    const name = `roi-${report.groupBy.replace(',', '-')}-${report.from}-${report.to}-${report.currency}.csv`;
    return new StreamableFile(Buffer.from(roiReportCsv(report), 'utf8'), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${name}"` });
  }
}
