import type { Template } from '@ce/db';
import type { TemplateDto } from './dto/template.dto';

export function toTemplateDto(t: Template): TemplateDto {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind,
    subject: t.subject,
    html: t.html,
    text: t.text,
    layoutId: t.layout?.id ?? null,
    partialName: t.partialName,
    missingVariables: t.missingVariables,
    variableDefaults: t.variableDefaults,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}
