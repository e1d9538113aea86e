import { Module } from '@nestjs/common';
import { CohortReportService } from './cohort-report.service';
import { FunnelReportService } from './funnel-report.service';
import { LifecycleReportsController } from './lifecycle-reports.controller';
import { ReportsController } from './reports.controller';
import { RoiReportService } from './roi-report.service';

@Module({ controllers: [ReportsController, LifecycleReportsController], providers: [RoiReportService, FunnelReportService, CohortReportService] })
export class ReportsModule {}
