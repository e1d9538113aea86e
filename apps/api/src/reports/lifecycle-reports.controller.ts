import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/endpoint.decorator';
import { cohortCsvFileName, cohortReportCsv } from './cohort-csv';
import { CohortReportService } from './cohort-report.service';
import { CohortReportDto, CohortReportQuery } from './dto/cohorts.dto';
import { FunnelReportDto, FunnelReportQuery } from './dto/funnel.dto';
import { funnelCsvFileName, funnelReportCsv } from './funnel-csv';
import { FunnelReportService } from './funnel-report.service';
import { jsonOrCsv } from './report-answer';

/** Reports on leads' lifecycle: the stage funnel, and customer cohorts' retention and value. */
@ApiTags('reports')
@Controller('v1/reports')
export class LifecycleReportsController {
  constructor(
    private readonly funnel: FunnelReportService,
    private readonly cohorts: CohortReportService,
  ) {}

  @Get('funnel')
  @ApiProduces('application/json', 'text/csv')
  @Endpoint({
    summary: 'The funnel by lifecycle stage: leads reaching each stage, stage-to-stage rates, median days in stage',
    description:
      'The cohort is the leads created from `from` to `to` (UTC days, inclusive) or, with `campaignId`, the leads enrolled in that campaign in ' +
      'those days. A lead reached a stage when it ever held it or a later one; the median time in a stage is over the leads that entered it and ' +
      'left it for a later one. `disqualified` counts the leads now disqualified. An unknown campaign is a 404. `format=csv` gives one line per stage.',
    roles: ['analyst', 'marketer'],
    response: FunnelReportDto,
    errors: [404],
  })
  async funnelReport(@Query() query: FunnelReportQuery): Promise<FunnelReportDto | StreamableFile> {
    return jsonOrCsv(await this.funnel.report(query), funnelReportCsv, funnelCsvFileName);
  }

  @Get('cohorts')
  @ApiProduces('application/json', 'text/csv')
  @Endpoint({
    summary: 'Customer cohorts by the month or week of their first conversion: retention, revenue and lifetime value per period',
    description:
      'Customers whose first conversion falls from `from` to `to` (UTC days, inclusive), grouped by its month or week (Monday), optionally only ' +
      'those enrolled in `campaignId`; followed for `periods` periods, never past today\'s. Amounts are converted into `currency` at the rate of ' +
      'each conversion\'s day; when a rate is missing the answer is a 422 naming `currency`. An unknown campaign is a 404. `format=csv` gives ' +
      'one line per cohort and period.',
    roles: ['analyst', 'marketer'],
    response: CohortReportDto,
    errors: [404, 422],
  })
  async cohortReport(@Query() query: CohortReportQuery): Promise<CohortReportDto | StreamableFile> {
    return jsonOrCsv(await this.cohorts.report(query), cohortReportCsv, cohortCsvFileName);
  }
}
