import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { RoiReportDto, RoiReportQuery } from './dto/roi-report.dto';
import { jsonOrCsv } from './report-answer';
import { roiCsvFileName, roiReportCsv } from './roi-csv';
import { RoiReportService } from './roi-report.service';

@ApiTags('reports')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly roi: RoiReportService) {}

  @Get('roi')
  @ApiProduces('application/json', 'text/csv')
  @Endpoint({
    summary: 'Participation, conversions, revenue, cost, ROI, ROAS, cost per acquisition and per lead by campaign and/or channel',
    description:
      'Summed over the days from `from` to `to` (UTC, inclusive) from the attribution and participation roll-ups and the costs, one row per group and model ' +
      '(and per period with `interval`: a full grid of periods × groups × models), with a total per model over the whole range. Participation does not ' +
      'depend on the model and is repeated on each model\'s row. Amounts in other currencies are converted at the latest rate on or before their day; ' +
      'when a rate is missing the answer is a 422 naming `currency` that lists the currencies and days lacking one. A report of more than 50,000 rows is ' +
      'a 422 naming `interval` (or `groupBy`). `format=csv` gives the same fields as CSV.',
    roles: ['analyst', 'marketer'],
    response: RoiReportDto,
    errors: [422],
  })
  async report(@Query() query: RoiReportQuery): Promise<RoiReportDto | StreamableFile> {
    return jsonOrCsv(await this.roi.report(query), roiReportCsv, roiCsvFileName);
  }
}
