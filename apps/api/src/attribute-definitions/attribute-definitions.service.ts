import { Injectable } from '@nestjs/common';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { AttributeDefinition } from '@ce/db';
import { ConflictError, InputInvalidError, NotFoundError } from '@ce/errors';
import type { AttributeRules } from '@ce/leads';
import { AttributeDefinitionDto, CreateAttributeDefinitionDto, UpdateAttributeDefinitionDto } from './dto/attribute-definition.dto';

/** Custom lead attributes: declared here, checked on every lead write. */
@Injectable()
export class AttributeDefinitionsService {
  constructor(private readonly em: EntityManager) {}

  async create(input: CreateAttributeDefinitionDto): Promise<AttributeDefinitionDto> {
    if (input.type === 'enum' && !input.options) throw new InputInvalidError([{ path: 'options', message: 'is required for an enum attribute' }]);
    if (input.type !== 'enum' && input.options) throw new InputInvalidError([{ path: 'options', message: 'is only for enum attributes' }]);
    const definition = this.em.create(AttributeDefinition, {
      name: input.name,
      label: input.label ?? null,
      type: input.type,
      required: input.required ?? false,
      options: input.options ? [...new Set(input.options)] : null,
    });
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw new ConflictError(`The attribute ${input.name} exists already.`, [{ path: 'name', message: 'is taken' }]);
      throw error;
    }
    return toDto(definition);
  }

  async list(): Promise<AttributeDefinitionDto[]> {
    return (await this.em.find(AttributeDefinition, {}, { orderBy: { name: 'asc' } })).map(toDto);
  }

  async update(id: string, input: UpdateAttributeDefinitionDto): Promise<AttributeDefinitionDto> {
    const definition = await this.find(id);
    if (input.label !== undefined) definition.label = input.label;
    if (input.addOptions) {
      if (definition.type !== 'enum') throw new InputInvalidError([{ path: 'addOptions', message: 'is only for enum attributes' }]);
      definition.options = [...new Set([...(definition.options ?? []), ...input.addOptions])];
    }
    await this.em.flush();
    return toDto(definition);
  }

  /** Removes the declaration; values already stored on leads stay until they are written again. */
  async remove(id: string): Promise<void> {
    const definition = await this.find(id);
    await this.em.removeAndFlush(definition);
  }

  /** The rules lead writes are checked against. */
  async rules(): Promise<AttributeRules> {
    const definitions = await this.em.fork().find(AttributeDefinition, {});
    return new Map(definitions.map((d) => [d.name, { type: d.type, required: d.required, options: d.options }]));
  }

  private async find(id: string): Promise<AttributeDefinition> {
    const definition = await this.em.findOne(AttributeDefinition, id);
    if (!definition) throw new NotFoundError('Attribute definition', id);
    return definition;
  }
}

function toDto(d: AttributeDefinition): AttributeDefinitionDto {
  return { id: d.id, name: d.name, label: d.label, type: d.type, required: d.required, options: d.options, createdAt: d.createdAt };
}
