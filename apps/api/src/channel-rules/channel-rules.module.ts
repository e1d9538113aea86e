import { Module } from '@nestjs/common';
import { ChannelRulesController } from './channel-rules.controller';
import { ChannelRulesService } from './channel-rules.service';
import { ChannelTaxonomy } from './channel-taxonomy';

/** The operator's channel rules, and the taxonomy touchpoint ingestion groups channels by. */
@Module({ controllers: [ChannelRulesController], providers: [ChannelRulesService, ChannelTaxonomy], exports: [ChannelTaxonomy] })
export class ChannelRulesModule {}
