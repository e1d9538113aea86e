import { Injectable } from '@nestjs/common';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Lead } from '@ce/db';
import { ConflictError, NotFoundError } from '@ce/errors';
import { CreateLeadDto, LeadDto, LeadPageDto, ListLeadsQuery } from './dto/lead.dto';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

@Injectable()
export class LeadsService {
  constructor(private readonly em: EntityManager) {}

  async create(input: CreateLeadDto): Promise<LeadDto> {
    const lead = this.em.create(Lead, {
      email: normaliseEmail(input.email),
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      attributes: input.attributes ?? {},
    });
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw new ConflictError('A lead with this email exists already.', [{ path: 'email', message: 'is taken by another lead' }]);
      throw error;
    }
    return toLeadDto(lead);
  }

  async get(id: string): Promise<LeadDto> {
    const lead = await this.em.findOne(Lead, id);
    if (!lead) throw new NotFoundError('Lead', id);
    return toLeadDto(lead);
  }

  async list(query: ListLeadsQuery): Promise<LeadPageDto> {
    const limit = query.limit ?? 50;
    const leads = await this.em.find(Lead, query.after ? { id: { $gt: query.after } } : {}, {
      orderBy: { id: 'asc' },
      limit: limit + 1,
    });
    const page = leads.slice(0, limit);
    return { items: page.map(toLeadDto), nextCursor: leads.length > limit ? page[page.length - 1].id : null };
  }
}

export function toLeadDto(lead: Lead): LeadDto {
  return {
    id: lead.id,
    email: lead.email,
    firstName: lead.firstName,
    lastName: lead.lastName,
    attributes: lead.attributes,
    lifecycleStage: lead.lifecycleStage,
    score: lead.score,
    createdAt: lead.createdAt,
  };
}
