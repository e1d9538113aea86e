import { Module } from '@nestjs/common';
import { AttributeDefinitionsModule } from '../attribute-definitions/attribute-definitions.module';
import { LeadMergeService } from './lead-merge.service';
import { LeadTimelineService } from './lead-timeline.service';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';

@Module({
  imports: [AttributeDefinitionsModule],
  controllers: [LeadsController],
  providers: [LeadsService, LeadTimelineService, LeadMergeService],
  exports: [LeadsService, LeadTimelineService],
})
export class LeadsModule {}
