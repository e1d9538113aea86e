import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Template } from '@ce/db';
import { NotFoundError } from '@ce/errors';
import { CreateTemplateDto, TemplateDto, UpdateTemplateDto } from './dto/template.dto';
import { PreviewTemplateDto, TemplatePreviewDto } from './dto/template-preview.dto';
import { TemplatePreviews } from './template-previews';
import { partialNameTaken, TemplateCandidate, TemplateRules } from './template-rules';
import { toTemplateDto } from './template.mapper';

/** Email templates, the layouts they sit in and the partials they include. */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly em: EntityManager,
    private readonly rules: TemplateRules,
    private readonly previews: TemplatePreviews,
  ) {}

  async create(input: CreateTemplateDto): Promise<TemplateDto> {
    const candidate: TemplateCandidate = {
      id: randomUUID(),
      kind: input.kind ?? 'email',
      subject: input.subject ?? '',
      html: input.html,
      text: input.text ?? null,
      layoutId: input.layoutId ?? null,
      partialName: input.partialName ?? null,
      missingVariables: input.missingVariables ?? 'default',
      variableDefaults: input.variableDefaults ?? {},
    };
    // Checked before the entity exists, so nothing of a refused template is ever flushed.
    await this.rules.check(candidate);
    const template = this.em.create(Template, { id: candidate.id, name: input.name, subject: candidate.subject, html: candidate.html });
    this.apply(template, candidate);
    await this.save(candidate);
    return toTemplateDto(template);
  }

  async update(id: string, input: UpdateTemplateDto): Promise<TemplateDto> {
    const template = await this.find(id);
    const candidate: TemplateCandidate = {
      id,
      kind: template.kind,
      subject: input.subject === undefined ? template.subject : input.subject ?? '',
      html: input.html ?? template.html,
      text: input.text === undefined ? template.text : input.text,
      layoutId: input.layoutId === undefined ? template.layout?.id ?? null : input.layoutId,
      partialName: input.partialName === undefined ? template.partialName : input.partialName,
      missingVariables: input.missingVariables ?? template.missingVariables,
      variableDefaults: input.variableDefaults ?? template.variableDefaults,
    };
    await this.rules.check(candidate);
    if (template.kind === 'partial' && template.partialName !== candidate.partialName) await this.rules.assertUnused(template, 'renamed');
    if (input.name !== undefined) template.name = input.name;
    this.apply(template, candidate);
    await this.save(candidate);
    return toTemplateDto(template);
  }

  async get(id: string): Promise<TemplateDto> {
    return toTemplateDto(await this.find(id));
  }

  async list(kind?: Template['kind']): Promise<TemplateDto[]> {
    const templates = await this.em.find(Template, kind ? { kind } : {}, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: 500 });
    return templates.map(toTemplateDto);
  }

  /** Refused (409) while emails use the layout, templates include the partial, or flows send the email. */
  async remove(id: string): Promise<void> {
    const template = await this.find(id);
    await this.rules.assertUnused(template, 'deleted');
    await this.em.removeAndFlush(template);
  }

  /** Renders an email template for a lead (and/or given variables) exactly as a send would. */
  preview(id: string, input: PreviewTemplateDto): Promise<TemplatePreviewDto> {
    return this.previews.preview(id, input);
  }

  /**
   * For the flow publish check: one message for each reason the template cannot be sent as
   * it stands; for a `reject` template, each printed variable that no lead field, declared
   * attribute, campaign field or default accounts for. Empty when it is fine.
   */
  publishProblems(templateId: string): Promise<string[]> {
    return this.previews.publishProblems(templateId);
  }

  private apply(template: Template, c: TemplateCandidate): void {
    template.kind = c.kind;
    template.subject = c.subject;
    template.html = c.html;
    template.text = c.text;
    template.layout = c.layoutId ? this.em.getReference(Template, c.layoutId) : null;
    template.partialName = c.kind === 'partial' ? c.partialName : null;
    template.missingVariables = c.missingVariables;
    template.variableDefaults = c.variableDefaults;
  }

  private async save(candidate: TemplateCandidate): Promise<void> {
    try {
      await this.em.flush();
    } catch (error) {
      // Two partials given the same name at the same moment: the unique index decides.
      if (error instanceof UniqueConstraintViolationException && candidate.partialName) throw partialNameTaken(candidate.partialName);
      throw error;
    }
  }

  private async find(id: string): Promise<Template> {
    const template = await this.em.findOne(Template, id);
    if (!template) throw new NotFoundError('Template', id);
    return template;
  }
}
