import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Segment } from '@ce/db';
import { ConflictError, FieldProblem, InputInvalidError, NotFoundError } from '@ce/errors';
import { CompiledSegment, segmentCountSql, segmentMembersSql, SegmentQuery, segmentSampleSql } from '@ce/segments';
import { CreateSegmentDto, SegmentDto, UpdateSegmentDto } from './dto/segment.dto';
import { MembershipChangeDto } from './dto/segment-members.dto';
import { SampleLeadDto, SegmentPreviewDto } from './dto/segment-preview.dto';
import { SegmentDefinitions } from '@ce/audience';

/** Serialises writes of segment definitions, so two concurrent edits cannot close a cycle. */
const DEFINITION_WRITE_LOCK = 7_335_001;
const DEFAULT_SAMPLE = 20;

@Injectable()
export class SegmentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly definitions: SegmentDefinitions,
  ) {}

  async create(input: CreateSegmentDto): Promise<SegmentDto> {
    const shape = shapeProblems(input);
    if (shape.length > 0) throw new InputInvalidError(shape);
    if (input.kind === 'static') {
      const leadIds = await this.existingLeads(this.em, input.leadIds ?? []);
      return this.em.transactional(async (em) => {
        const segment = em.create(Segment, { name: input.name, kind: 'static', definition: null });
        await em.flush();
        await insertMembers(em, segment.id, leadIds);
        return toDto(segment);
      });
    }
    const definition = input.definition!;
    return this.withDefinitionLock(async (em) => {
      await this.definitions.check(em, definition, null);
      const segment = em.create(Segment, { name: input.name, kind: 'dynamic', definition });
      await em.flush();
      return toDto(segment);
    });
  }

  async list(): Promise<SegmentDto[]> {
    return (await this.em.find(Segment, {}, { orderBy: { createdAt: 'desc' }, limit: 500 })).map(toDto);
  }

  async get(id: string): Promise<SegmentDto> {
    return toDto(await find(this.em, id));
  }

  async update(id: string, input: UpdateSegmentDto): Promise<SegmentDto> {
    return this.withDefinitionLock(async (em) => {
      const segment = await find(em, id);
      if (input.definition !== undefined && input.definition !== null) {
        if (segment.kind === 'static')
          throw new ConflictError('A static segment has no definition; change its members instead.', [
            { path: 'definition', message: 'is only for dynamic segments' },
          ]);
        await this.definitions.check(em, input.definition, segment.id);
        segment.definition = input.definition;
      }
      if (input.name !== undefined) segment.name = input.name;
      await em.flush();
      return toDto(segment);
    });
  }

  /** Refused while another segment's definition, or a campaign not yet launched, uses it. */
  async remove(id: string): Promise<void> {
    await this.withDefinitionLock(async (em) => {
      const segment = await find(em, id);
      const users: FieldProblem[] = (await this.definitions.referrers(em, segment.id)).map((s) => ({
        path: 'id',
        message: `is used by segment "${s.name}" (${s.id})`,
      }));
      const campaigns: { id: string; name: string }[] = await em.execute(
        'select id, name from campaigns where audience_snapshot_at is null and audience @> ?::jsonb',
        [JSON.stringify({ segmentId: segment.id })],
      );
      users.push(...campaigns.map((c) => ({ path: 'id', message: `is the audience of campaign "${c.name}" (${c.id}), not yet launched` })));
      if (users.length > 0) throw new ConflictError('The segment is in use; change what uses it first.', users);
      em.remove(segment);
      await em.flush();
    });
  }

  async addMembers(id: string, leadIds: string[]): Promise<MembershipChangeDto> {
    const segment = await findStatic(this.em, id);
    const existing = await this.existingLeads(this.em, leadIds);
    const changed = await insertMembers(this.em, segment.id, existing);
    return { changed, memberCount: await memberCount(this.em, segment.id) };
  }

  async removeMembers(id: string, leadIds: string[]): Promise<MembershipChangeDto> {
    const segment = await findStatic(this.em, id);
    const result: { affectedRows: number } = await this.em.execute(
      'delete from segment_members where segment_id = ? and lead_id in (select x::uuid from jsonb_array_elements_text(?::jsonb) x)',
      [segment.id, JSON.stringify(unique(leadIds))],
      'run',
    );
    return { changed: result.affectedRows, memberCount: await memberCount(this.em, segment.id) };
  }

  async preview(id: string, sample = DEFAULT_SAMPLE): Promise<SegmentPreviewDto> {
    const segment = await find(this.em, id);
    return this.evaluate(await this.definitions.compile(this.em, { inSegment: segment.id }), sample);
  }

  /** Counts and samples a definition that is not saved, after validating it in full. */
  async previewDefinition(definition: Record<string, unknown>, sample = DEFAULT_SAMPLE): Promise<SegmentPreviewDto> {
    await this.definitions.check(this.em, definition, null);
    return this.evaluate(await this.definitions.compile(this.em, definition), sample);
  }

  /**
   * `select l.id from leads l where …`: the segment's members now, as one parameterised
   * query for `insert into campaign_audience (campaign_id, lead_id) select ?, id from (<sql>) m`.
   * Relative dates are fixed at `now`.
   */
  async membersSql(segmentId: string, em: EntityManager = this.em, now = new Date()): Promise<SegmentQuery> {
    const segment = await find(em, segmentId);
    return segmentMembersSql(await this.definitions.compile(em, { inSegment: segment.id }, now));
  }

  private async evaluate(compiled: CompiledSegment, sample: number): Promise<SegmentPreviewDto> {
    const count = segmentCountSql(compiled);
    const [{ count: total }]: { count: number }[] = await this.em.execute(count.sql, count.params);
    if (sample === 0) return { count: total, sample: [] };
    const rows = segmentSampleSql(compiled, sample);
    return { count: total, sample: await this.em.execute<SampleLeadDto[]>(rows.sql, rows.params) };
  }

  private withDefinitionLock<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.transactional(async (em) => {
      await em.execute('select pg_advisory_xact_lock(?)', [DEFINITION_WRITE_LOCK]);
      return work(em);
    });
  }

  /** The unique, lower-cased ids; 400 naming each given id that is not a lead. */
  private async existingLeads(em: EntityManager, given: string[]): Promise<string[]> {
    const ids = unique(given);
    if (ids.length === 0) return ids;
    const rows: { id: string }[] = await em.execute(
      'select l.id from leads l where l.id in (select x::uuid from jsonb_array_elements_text(?::jsonb) x)',
      [JSON.stringify(ids)],
    );
    const found = new Set(rows.map((r) => r.id));
    const missing = given
      .map((id, index) => ({ id, index }))
      .filter(({ id }) => !found.has(id.toLowerCase()))
      .slice(0, 50)
      .map(({ id, index }) => ({ path: `leadIds[${index}]`, message: `lead ${id} does not exist` }));
    if (missing.length > 0) throw new InputInvalidError(missing, 'Some leads do not exist.');
    return ids;
  }
}

function shapeProblems(input: CreateSegmentDto): FieldProblem[] {
  if (input.kind === 'dynamic') {
    const problems: FieldProblem[] = [];
    if (!input.definition) problems.push({ path: 'definition', message: 'is required for a dynamic segment' });
    if (input.leadIds !== undefined) problems.push({ path: 'leadIds', message: 'is only for static segments' });
    return problems;
  }
  return input.definition !== undefined ? [{ path: 'definition', message: 'is only for dynamic segments' }] : [];
}

async function find(em: EntityManager, id: string): Promise<Segment> {
  const segment = await em.findOne(Segment, id);
  if (!segment) throw new NotFoundError('Segment', id);
  return segment;
}

async function findStatic(em: EntityManager, id: string): Promise<Segment> {
  const segment = await find(em, id);
  if (segment.kind !== 'static')
    throw new ConflictError("Members are added to static segments only; a dynamic segment's members follow its definition.");
  return segment;
}

/** Adds the leads (which exist) to the static segment; those already in are left as they are. */
async function insertMembers(em: EntityManager, segmentId: string, leadIds: string[]): Promise<number> {
  if (leadIds.length === 0) return 0;
  const result: { affectedRows: number } = await em.execute(
    `insert into segment_members (segment_id, lead_id)
     select ?::uuid, l.id from leads l where l.id in (select x::uuid from jsonb_array_elements_text(?::jsonb) x)
     on conflict do nothing`,
    [segmentId, JSON.stringify(leadIds)],
    'run',
  );
  return result.affectedRows;
}

async function memberCount(em: EntityManager, segmentId: string): Promise<number> {
  const [{ count }]: { count: number }[] = await em.execute('select count(*)::int as count from segment_members where segment_id = ?', [segmentId]);
  return count;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

function toDto(s: Segment): SegmentDto {
  return { id: s.id, name: s.name, kind: s.kind, definition: s.definition, createdAt: s.createdAt, updatedAt: s.updatedAt };
}
