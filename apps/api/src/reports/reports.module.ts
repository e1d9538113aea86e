import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { RoiReportService } from './roi-report.service';

@Module({ controllers: [ReportsController], providers: [RoiReportService] })
export class ReportsModule {}
