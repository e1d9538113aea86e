import { Module } from '@nestjs/common';
import { TemplatesModule } from '../templates/templates.module';
import { FlowDryRunService } from './flow-dry-run.service';
import { FlowValidationService } from './flow-validation.service';
import { FlowVersionsController } from './flow-versions.controller';
import { FlowsController } from './flows.controller';
import { FlowsService } from './flows.service';
import { stepRegistryProvider } from './step-registry.provider';
import { StepTypesController } from './step-types.controller';

@Module({
  imports: [TemplatesModule],
  controllers: [FlowsController, FlowVersionsController, StepTypesController],
  providers: [FlowsService, FlowValidationService, FlowDryRunService, stepRegistryProvider],
  exports: [FlowsService],
})
export class FlowsModule {}
