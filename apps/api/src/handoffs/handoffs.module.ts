import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { HandoffsController } from './handoffs.controller';
import { HandoffsService } from './handoffs.service';

@Module({ imports: [LeadsModule], controllers: [HandoffsController], providers: [HandoffsService] })
export class HandoffsModule {}
