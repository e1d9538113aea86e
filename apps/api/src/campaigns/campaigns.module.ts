import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { CampaignReportService } from './campaign-report.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { CampaignEnrollmentsService } from './campaign-enrollments.service';
import { CampaignLifecycleService } from './campaign-lifecycle.service';

@Module({
  imports: [FlowsModule],
  controllers: [CampaignsController],
  providers: [CampaignsService, CampaignReportService, CampaignLifecycleService, CampaignEnrollmentsService],
})
export class CampaignsModule {}
