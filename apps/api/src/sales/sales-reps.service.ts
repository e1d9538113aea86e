import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral, SalesRep } from '@ce/db';
import { NotFoundError } from '@ce/errors';
import { CreateSalesRepDto, SalesRepDto, UpdateSalesRepDto } from './dto/sales-rep.dto';

/** The reps leads are handed to; each shown with the hand-offs it holds open. */
@Injectable()
export class SalesRepsService {
  constructor(private readonly em: EntityManager) {}

  async create(input: CreateSalesRepDto): Promise<SalesRepDto> {
    const em = this.em.fork();
    const rep = em.create(SalesRep, {
      name: input.name,
      email: input.email,
      active: input.active ?? true,
      capacity: input.capacity ?? null,
      webhookUrl: input.webhookUrl ?? null,
    });
    await em.flush();
    return toDto(rep, 0);
  }

  /** Every rep, by name. */
  async list(): Promise<SalesRepDto[]> {
    const em = this.em.fork();
    const reps = await em.find(SalesRep, {}, { orderBy: { name: 'asc', id: 'asc' } });
    const open = await openHandoffs(em, reps.map((r) => r.id));
    return reps.map((rep) => toDto(rep, open.get(rep.id) ?? 0));
  }

  async get(id: string): Promise<SalesRepDto> {
    const em = this.em.fork();
    const rep = await findRep(em, id);
    return toDto(rep, (await openHandoffs(em, [rep.id])).get(rep.id) ?? 0);
  }

  /**
   * Changes the fields given; a field left out stays as it is. `capacity: null` lifts the limit,
   * `webhookUrl: null` falls back to the routing settings' URL.
   */
  async update(id: string, input: UpdateSalesRepDto): Promise<SalesRepDto> {
    const em = this.em.fork();
    const rep = await findRep(em, id);
    if (input.name !== undefined) rep.name = input.name;
    if (input.email !== undefined) rep.email = input.email;
    if (input.active !== undefined) rep.active = input.active;
    if (input.capacity !== undefined) rep.capacity = input.capacity;
    if (input.webhookUrl !== undefined) rep.webhookUrl = input.webhookUrl;
    await em.flush();
    return toDto(rep, (await openHandoffs(em, [rep.id])).get(rep.id) ?? 0);
  }
}

async function findRep(em: EntityManager, id: string): Promise<SalesRep> {
  const rep = await em.findOne(SalesRep, id.toLowerCase());
  if (!rep) throw new NotFoundError('Sales rep', id);
  return rep;
}

/** Hand-offs assigned to each rep and not yet accepted or rejected, by rep id. */
async function openHandoffs(em: EntityManager, repIds: string[]): Promise<Map<string, number>> {
  if (repIds.length === 0) return new Map();
  const rows = await em.execute<{ rep_id: string; open: number }[]>(
    `select rep_id, count(*)::int as open from handoffs where status in ('assigned', 'escalated') and rep_id = any(?::uuid[]) group by rep_id`,
    [arrayLiteral(repIds)],
  );
  return new Map(rows.map((r) => [String(r.rep_id), Number(r.open)]));
}

function toDto(rep: SalesRep, open: number): SalesRepDto {
  return {
    id: rep.id,
    name: rep.name,
    email: rep.email,
    active: rep.active,
    capacity: rep.capacity,
    webhookUrl: rep.webhookUrl,
    openHandoffs: open,
    lastAssignedAt: rep.lastAssignedAt,
    createdAt: rep.createdAt,
  };
}
