import { Module } from '@nestjs/common';
import { TemplatePreviews } from './template-previews';
import { TemplateRules } from './template-rules';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

/** Exports TemplatesService: the flow publish check calls `publishProblems`. */
@Module({ controllers: [TemplatesController], providers: [TemplatesService, TemplateRules, TemplatePreviews], exports: [TemplatesService] })
export class TemplatesModule {}
