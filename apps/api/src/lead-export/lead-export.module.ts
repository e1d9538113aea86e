import { Module } from '@nestjs/common';
import { LeadExportController } from './lead-export.controller';
import { LeadExportService } from './lead-export.service';

@Module({ controllers: [LeadExportController], providers: [LeadExportService] })
export class LeadExportModule {}
