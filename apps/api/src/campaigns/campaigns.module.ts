import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { CampaignReportService } from './campaign-report.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

@Module({
  imports: [FlowsModule],
  controllers: [CampaignsController],
  providers: [CampaignsService, CampaignReportService],
})
export class CampaignsModule {}
