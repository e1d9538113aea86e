import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import type { AppConfig } from '@ce/config';
import { createOrmConfig } from '@ce/db';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AttributeDefinitionsModule } from './attribute-definitions/attribute-definitions.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ChannelRulesModule } from './channel-rules/channel-rules.module';
import { ApiKeyGuard } from './common/auth/api-key.guard';
import { ProblemFilter } from './common/problem.filter';
import { ConfigModule } from './config/config.module';
import { AttributionModule } from './attribution/attribution.module';
import { ConversionsModule } from './conversions/conversions.module';
import { CostsModule } from './costs/costs.module';
import { CurrencyRatesModule } from './currency-rates/currency-rates.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { FlowsModule } from './flows/flows.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { LeadExportModule } from './lead-export/lead-export.module';
import { LeadsModule } from './leads/leads.module';
import { ReportsModule } from './reports/reports.module';
import { HandoffsModule } from './handoffs/handoffs.module';
import { SalesModule } from './sales/sales.module';
import { ScoringModule } from './scoring/scoring.module';
import { SegmentsModule } from './segments/segments.module';
import { TemporalModule } from './temporal/temporal.module';
import { TemplatesModule } from './templates/templates.module';
import { TouchpointsModule } from './touchpoints/touchpoints.module';
import { TrackingModule } from './tracking/tracking.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Each request gets its own EntityManager fork through the request context.
        MikroOrmModule.forRoot({ ...createOrmConfig({ databaseUrl: config.databaseUrl }), registerRequestContext: true }),
        TemporalModule,
        HealthModule,
        ApiKeysModule,
        AttributeDefinitionsModule,
        LeadsModule,
        ImportsModule,
        LeadExportModule,
        TemplatesModule,
        FlowsModule,
        CampaignsModule,
        ConversionsModule,
        SalesModule,
        HandoffsModule,
        ScoringModule,
        CostsModule,
        AttributionModule,
        CurrencyRatesModule,
        ReportsModule,
        DashboardModule,
        TrackingModule,
        TouchpointsModule,
        ChannelRulesModule,
        SegmentsModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
