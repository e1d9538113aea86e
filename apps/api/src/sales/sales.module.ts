import { Module } from '@nestjs/common';
import { ConversionsModule } from '../conversions/conversions.module';
import { DealsService } from './deals.service';
import { SalesController } from './sales.controller';

@Module({ imports: [ConversionsModule], controllers: [SalesController], providers: [DealsService] })
export class SalesModule {}
