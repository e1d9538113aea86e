import { Module } from '@nestjs/common';
import { TouchpointsController } from './touchpoints.controller';
import { TouchpointsService } from './touchpoints.service';

/** Touchpoints from every channel, in batches; anonymous visitors joined to leads when they identify. */
@Module({ controllers: [TouchpointsController], providers: [TouchpointsService] })
export class TouchpointsModule {}
