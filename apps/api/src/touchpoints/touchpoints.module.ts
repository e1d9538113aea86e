import { Module } from '@nestjs/common';
import { ChannelRulesModule } from '../channel-rules/channel-rules.module';
import { TouchpointsController } from './touchpoints.controller';
import { TouchpointsService } from './touchpoints.service';

/** Touchpoints from every channel, in batches; anonymous visitors joined to leads when they identify. */
@Module({ imports: [ChannelRulesModule], controllers: [TouchpointsController], providers: [TouchpointsService] })
export class TouchpointsModule {}
