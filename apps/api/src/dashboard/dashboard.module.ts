import { Module } from '@nestjs/common';
import { DashboardAssets } from './dashboard-assets';
import { DashboardController } from './dashboard.controller';

/** The analytics dashboard: one HTML page and its static files; its data comes from the report API. */
@Module({ controllers: [DashboardController], providers: [DashboardAssets] })
export class DashboardModule {}
