import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { TrackingController } from './tracking.controller';
import { TrackingService } from './tracking.service';

@Module({ imports: [LeadsModule], controllers: [TrackingController], providers: [TrackingService] })
export class TrackingModule {}
