import { Module } from '@nestjs/common';
import { ConversionsModule } from '../conversions/conversions.module';
import { DealsService } from './deals.service';
import { RoutingSettingsController } from './routing-settings.controller';
import { RoutingSettingsService } from './routing-settings.service';
import { SalesRepsController } from './sales-reps.controller';
import { SalesRepsService } from './sales-reps.service';
import { SalesController } from './sales.controller';

@Module({
  imports: [ConversionsModule],
  controllers: [SalesController, SalesRepsController, RoutingSettingsController],
  providers: [DealsService, SalesRepsService, RoutingSettingsService],
})
export class SalesModule {}
