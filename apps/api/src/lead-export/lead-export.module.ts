import { Module } from '@nestjs/common';
import { SegmentsModule } from '../segments/segments.module';
import { LeadExportController } from './lead-export.controller';
import { LeadExportService } from './lead-export.service';

@Module({ imports: [SegmentsModule], controllers: [LeadExportController], providers: [LeadExportService] })
export class LeadExportModule {}
