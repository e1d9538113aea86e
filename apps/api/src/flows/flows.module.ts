import { Module } from '@nestjs/common';
import { FlowsController } from './flows.controller';
import { FlowsService } from './flows.service';
import { stepRegistryProvider } from './step-registry.provider';

@Module({ controllers: [FlowsController], providers: [FlowsService, stepRegistryProvider], exports: [FlowsService] })
export class FlowsModule {}
