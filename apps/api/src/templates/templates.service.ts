import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Template } from '@ce/db';
import { NotFoundError, UnprocessableError } from '@ce/errors';
import { checkTemplateSyntax } from '@ce/mail';
import { CreateTemplateDto, TemplateDto } from './dto/template.dto';

@Injectable()
export class TemplatesService {
  constructor(private readonly em: EntityManager) {}

  async create(input: CreateTemplateDto): Promise<TemplateDto> {
    const problems = checkTemplateSyntax({ subject: input.subject, html: input.html, text: input.text ?? null });
    if (problems.length > 0)
      throw new UnprocessableError(
        'TEMPLATE_INVALID',
        'The template does not compile.',
        problems.map((p) => ({ path: p.part, message: p.message })),
      );
    const template = this.em.create(Template, {
      name: input.name,
      subject: input.subject,
      html: input.html,
      text: input.text ?? null,
    });
    await this.em.flush();
    return toDto(template);
  }

  async get(id: string): Promise<TemplateDto> {
    const template = await this.em.findOne(Template, id);
    if (!template) throw new NotFoundError('Template', id);
    return toDto(template);
  }

  async list(): Promise<TemplateDto[]> {
    return (await this.em.find(Template, {}, { orderBy: { createdAt: 'desc' }, limit: 500 })).map(toDto);
  }
}

function toDto(t: Template): TemplateDto {
  return { id: t.id, name: t.name, subject: t.subject, html: t.html, text: t.text, createdAt: t.createdAt };
}
