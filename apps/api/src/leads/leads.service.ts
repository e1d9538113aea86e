import { Injectable } from '@nestjs/common';
import { EntityManager, FilterQuery, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import {
  AuditEntry,
  CONSENT_CHANNELS,
  CONSENT_STATUSES,
  ConsentChannel,
  ConsentStatus,
  Lead,
  LeadConsent,
  LeadEvent,
  LeadExternalId,
  withPgClient,
} from '@ce/db';
import { ConflictError, FieldProblem, InputInvalidError, NotFoundError } from '@ce/errors';
import { LeadRecord, parseLeadRecord, upsertLeads } from '@ce/leads';
import { AttributeDefinitionsService } from '../attribute-definitions/attribute-definitions.service';
import type { Caller } from '../common/auth/api-key.guard';
import { BatchItemResultDto, BatchResultDto } from './dto/batch.dto';
import { LeadDto, LeadPageDto, ListLeadsQuery, UpsertLeadResultDto } from './dto/lead.dto';
import { toLeadDto } from './lead.mapper';

@Injectable()
export class LeadsService {
  constructor(
    private readonly em: EntityManager,
    private readonly attributes: AttributeDefinitionsService,
  ) {}

  async create(body: unknown): Promise<LeadDto> {
    const record = await this.parse(body, 'create');
    if ((await this.em.count(Lead, { email: record.email! })) > 0)
      throw new ConflictError('A lead with this email exists already.', [{ path: 'email', message: 'is taken by another lead' }]);
    const [result] = await this.write([record], 'api');
    return this.get(result.id);
  }

  /** Creates or updates by email; sending the same lead twice changes nothing the second time. */
  async upsert(body: unknown): Promise<UpsertLeadResultDto> {
    const record = await this.parse(body, 'create');
    const [result] = await this.write([record], 'api');
    return { outcome: result.outcome, lead: await this.get(result.id) };
  }

  /** Writes every valid lead and reports each one; invalid ones are rejected alone. */
  async batch(items: unknown[]): Promise<BatchResultDto> {
    const rules = await this.attributes.rules();
    const results: BatchItemResultDto[] = new Array(items.length);
    const valid: { index: number; record: LeadRecord }[] = [];
    items.forEach((item, index) => {
      const { record, problems } = parseLeadRecord(item, { attributes: rules, mode: 'create' });
      if (problems.length > 0) results[index] = { index, outcome: 'rejected', errors: problems };
      else valid.push({ index, record });
    });
    const written = await this.write(valid.map((v) => v.record), 'api');
    // A lead named twice is written once: its first item reports the outcome, later ones are merged into it.
    const firstIndex = new Map<string, number>();
    written.forEach((result, i) => {
      const index = valid[i].index;
      const first = firstIndex.get(result.email);
      if (first === undefined) firstIndex.set(result.email, index);
      results[index] = first === undefined
        ? { index, outcome: result.outcome, id: result.id }
        : { index, outcome: 'merged', id: result.id, mergedInto: first };
    });
    const counts = { created: 0, updated: 0, unchanged: 0, merged: 0, rejected: 0 };
    for (const result of results) counts[result.outcome as keyof typeof counts]++;
    return { counts, results };
  }

  async get(id: string): Promise<LeadDto> {
    const lead = await this.em.findOne(Lead, id);
    if (!lead) throw new NotFoundError('Lead', id);
    const [externalIds, consents] = await Promise.all([
      this.em.find(LeadExternalId, { lead }),
      this.em.find(LeadConsent, { lead }),
    ]);
    return toLeadDto(lead, externalIds, consents);
  }

  async list(query: ListLeadsQuery): Promise<LeadPageDto> {
    const limit = query.limit ?? 50;
    const where: FilterQuery<Lead> = {};
    if (query.after) where.id = { $gt: query.after };
    if (query.lifecycleStage) where.lifecycleStage = query.lifecycleStage;
    if (query.ownerId) where.ownerId = query.ownerId;
    if (query.minScore !== undefined || query.maxScore !== undefined)
      where.score = { ...(query.minScore !== undefined ? { $gte: query.minScore } : {}), ...(query.maxScore !== undefined ? { $lte: query.maxScore } : {}) };
    if (query.createdAfter || query.createdBefore)
      where.createdAt = {
        ...(query.createdAfter ? { $gte: new Date(query.createdAfter) } : {}),
        ...(query.createdBefore ? { $lt: new Date(query.createdBefore) } : {}),
      };
    if (query.emailContains) where.email = { $like: `%${query.emailContains.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%` };
    const leads = await this.em.find(Lead, where, { orderBy: { id: 'asc' }, limit: limit + 1 });
    const page = leads.slice(0, limit);
    const ids = page.map((l) => l.id);
    const [externalIds, consents] = await Promise.all([
      this.em.find(LeadExternalId, { lead: { $in: ids } }),
      this.em.find(LeadConsent, { lead: { $in: ids } }),
    ]);
    return {
      items: page.map((lead) =>
        toLeadDto(lead, externalIds.filter((x) => x.lead.id === lead.id), consents.filter((c) => c.lead.id === lead.id)),
      ),
      nextCursor: leads.length > limit ? page[page.length - 1].id : null,
    };
  }

  /** Changes the fields given; null clears a field or removes an attribute. */
  async update(id: string, body: unknown): Promise<LeadDto> {
    const record = await this.parse(body, 'update');
    await this.em.transactional(async (em) => {
      const lead = await em.findOne(Lead, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!lead) throw new NotFoundError('Lead', id);
      const events: { type: 'stage_changed' | 'owner_changed'; data: Record<string, unknown> }[] = [];
      if (record.lifecycleStage && record.lifecycleStage !== lead.lifecycleStage)
        events.push({ type: 'stage_changed', data: { from: lead.lifecycleStage, to: record.lifecycleStage, source: 'api' } });
      if (record.ownerId !== undefined && record.ownerId !== lead.ownerId)
        events.push({ type: 'owner_changed', data: { from: lead.ownerId, to: record.ownerId } });

      const { attributes, externalIds, consent, ...fields } = record;
      Object.assign(lead, fields);
      if (attributes) {
        const next = { ...lead.attributes };
        for (const [name, value] of Object.entries(attributes)) {
          if (value === null) delete next[name];
          else next[name] = value;
        }
        lead.attributes = next;
      }
      for (const event of events) em.create(LeadEvent, { lead, type: event.type, occurredAt: new Date(), data: event.data });
      for (const [source, externalId] of Object.entries(externalIds ?? {})) {
        const existing = await em.findOne(LeadExternalId, { source, externalId });
        if (existing && existing.lead.id !== lead.id)
          throw new ConflictError(`The ${source} id ${externalId} belongs to another lead.`, [{ path: `externalIds.${source}`, message: 'belongs to another lead' }]);
        if (!existing) {
          await em.nativeDelete(LeadExternalId, { lead, source });
          em.create(LeadExternalId, { lead, source, externalId });
        }
      }
      for (const [channel, status] of Object.entries(consent ?? {}))
        await this.recordConsent(em, lead, channel as ConsentChannel, status as ConsentStatus, 'api');
      try {
        await em.flush();
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException)
          throw new ConflictError('A lead with this email exists already.', [{ path: 'email', message: 'is taken by another lead' }]);
        throw error;
      }
    });
    return this.get(id);
  }

  /** Checks the channel and the body's status together, so both problems are reported at once. */
  async setConsent(id: string, channel: string, body: unknown, source: string): Promise<LeadDto> {
    const problems: FieldProblem[] = [];
    if (!(CONSENT_CHANNELS as readonly string[]).includes(channel))
      problems.push({ path: 'channel', message: `must be one of ${CONSENT_CHANNELS.join(', ')}` });
    const status = (body as { status?: unknown } | null)?.status;
    if (typeof status !== 'string' || !(CONSENT_STATUSES as readonly string[]).includes(status))
      problems.push({ path: 'status', message: `must be one of ${CONSENT_STATUSES.join(', ')}` });
    const unknown = Object.keys((body as object | null) ?? {}).filter((key) => key !== 'status');
    problems.push(...unknown.map((key) => ({ path: key, message: 'is not a known field' })));
    if (problems.length > 0) throw new InputInvalidError(problems);
    await this.em.transactional(async (em) => {
      const lead = await em.findOne(Lead, id);
      if (!lead) throw new NotFoundError('Lead', id);
      await this.recordConsent(em, lead, channel as ConsentChannel, status as ConsentStatus, source);
    });
    return this.get(id);
  }

  /** Erases the lead and everything recorded about it (touchpoints, messages, conversions…). */
  async remove(id: string, caller: Caller | null): Promise<void> {
    await this.em.transactional(async (em) => {
      const deleted = await em.nativeDelete(Lead, { id });
      if (deleted === 0) throw new NotFoundError('Lead', id);
      em.create(AuditEntry, { actorKeyId: caller?.keyId ?? null, action: 'lead.erased', entityType: 'lead', entityId: id, data: {} });
    });
  }

  private async recordConsent(em: EntityManager, lead: Lead, channel: ConsentChannel, status: ConsentStatus, source: string): Promise<void> {
    const current = await em.findOne(LeadConsent, { lead, channel });
    if (current?.status === status) return;
    const changedAt = new Date();
    if (current) Object.assign(current, { status, changedAt, source });
    else em.create(LeadConsent, { lead, channel, status, changedAt, source });
    em.create(LeadEvent, { lead, type: 'consent_changed', occurredAt: changedAt, data: { channel, status, source } });
  }

  private async parse(body: unknown, mode: 'create' | 'update'): Promise<LeadRecord> {
    const { record, problems } = parseLeadRecord(body, { attributes: await this.attributes.rules(), mode });
    if (problems.length > 0) throw new InputInvalidError(problems);
    return record;
  }

  private write(records: LeadRecord[], source: string) {
    return withPgClient(this.em, (client) => upsertLeads(client, records, source));
  }
}
