import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Flow, FlowVersion } from '@ce/db';
import { ConflictError, InputInvalidError, NotFoundError } from '@ce/errors';
import type { FlowDefinition } from '@ce/flows';
import { CreateFlowDto, DraftDto, FlowDto, FlowPageDto, ListFlowsQuery, ValidationResultDto } from './dto/flow.dto';
import { FlowDiffDto, FlowVersionDto, FlowVersionSummaryDto } from './dto/version.dto';
import { diffFlows } from './flow-diff';
import { FlowValidationService } from './flow-validation.service';

interface FlowRow {
  id: string;
  name: string;
  created_at: Date;
  /** created_at with full precision (microseconds), UTC, for the page cursor. */
  cursor_at: string;
  draft_updated_at: Date | null;
  has_draft: boolean;
  latest_version: number | null;
}

const encodeCursor = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url');

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const valid =
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(at ?? '') && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id ?? '');
  if (!valid) throw new InputInvalidError([{ path: 'after', message: 'must be the nextCursor of a previous page' }]);
  return { at, id };
}

/**
 * Flows and their lifecycle: a draft that may be saved while invalid, published as immutable
 * numbered versions once valid in full; versions are never edited or deleted.
 */
@Injectable()
export class FlowsService {
  constructor(
    private readonly em: EntityManager,
    private readonly validation: FlowValidationService,
  ) {}

  /** Publishes version 1 (validated in full), or with `publish: false` saves a draft as it is. */
  async create(input: CreateFlowDto): Promise<FlowDto> {
    this.validation.checkSize(input.definition);
    if (input.publish === false) {
      const flow = this.em.create(Flow, { name: input.name, draft: input.definition, draftUpdatedAt: new Date() });
      await this.em.flush();
      return this.toDto(flow, null);
    }
    const definition = await this.validation.check(this.em, input.definition);
    const flow = this.em.create(Flow, { name: input.name });
    const version = this.em.create(FlowVersion, { flow, version: 1, definition });
    await this.em.flush();
    return this.toDto(flow, version);
  }

  /** Newest first, a page at a time. */
  async list(query: ListFlowsQuery): Promise<FlowPageDto> {
    const limit = query.limit ?? 50;
    const cursor = query.after ? decodeCursor(query.after) : null;
    const rows = await this.em.getConnection().execute<FlowRow[]>(
      `select f.id, f.name, f.created_at, f.draft_updated_at, (f.draft is not null) as has_draft,
              to_char(f.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at,
              (select max(v.version) from flow_versions v where v.flow_id = f.id) as latest_version
         from flows f
        where ${cursor ? '(f.created_at, f.id) < (?::timestamptz, ?::uuid)' : 'true'}
        order by f.created_at desc, f.id desc
        limit ?`,
      [...(cursor ? [cursor.at, cursor.id] : []), limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        name: r.name,
        latestVersion: r.latest_version === null ? null : Number(r.latest_version),
        hasDraft: r.has_draft,
        draftUpdatedAt: r.draft_updated_at === null ? null : new Date(r.draft_updated_at),
        createdAt: new Date(r.created_at),
      })),
      nextCursor: rows.length > limit ? encodeCursor(last.cursor_at, last.id) : null,
    };
  }

  async get(id: string): Promise<FlowDto> {
    const flow = await this.findFlow(id);
    return this.toDto(flow, await this.latest(id));
  }

  /** The version new enrollments take: the latest published one. */
  async latestVersion(flowId: string): Promise<FlowVersion> {
    const version = await this.latest(flowId);
    if (version) return version;
    await this.findFlow(flowId);
    throw new ConflictError(`Flow ${flowId} has no published version yet; publish its draft first.`);
  }

  async validate(definition: Record<string, unknown>): Promise<ValidationResultDto> {
    this.validation.checkSize(definition);
    const problems = await this.validation.problems(this.em, definition);
    return { valid: problems.length === 0, problems };
  }

  async getDraft(flowId: string): Promise<DraftDto> {
    const flow = await this.findFlow(flowId);
    const draft = await this.draftOf(flow);
    if (!draft) throw new NotFoundError('Draft of flow', flowId);
    return draft;
  }

  /** Saves (or replaces) the draft, valid or not, and lists what would stop it being published. */
  async saveDraft(flowId: string, definition: Record<string, unknown>): Promise<DraftDto> {
    this.validation.checkSize(definition);
    const problems = await this.validation.problems(this.em, definition);
    const updatedAt = new Date();
    // One statement: a publish holding the row lock finishes first, and this edit is kept after it.
    const changed = await this.em.nativeUpdate(Flow, { id: flowId }, { draft: definition, draftUpdatedAt: updatedAt });
    if (changed === 0) throw new NotFoundError('Flow', flowId);
    return { definition, updatedAt, problems };
  }

  async deleteDraft(flowId: string): Promise<void> {
    const changed = await this.em.nativeUpdate(Flow, { id: flowId }, { draft: null, draftUpdatedAt: null });
    if (changed === 0) throw new NotFoundError('Flow', flowId);
  }

  /**
   * Freezes the draft as the next version and clears it. The draft is validated first, outside
   * any lock; then, with the flow's row locked, the version is written if the draft is still the
   * one validated (else validated again). Concurrent publishes take turns on the lock, so each
   * gets its own number (the unique (flow, version) constraint backs this up), and one that finds
   * the draft already published gets 409.
   */
  async publish(flowId: string): Promise<FlowVersionDto> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const em = this.em.fork();
      const flow = await em.findOne(Flow, flowId);
      if (!flow) throw new NotFoundError('Flow', flowId);
      if (!flow.draft) throw noDraft(flowId);
      const validated = JSON.stringify(flow.draft);
      const definition = await this.validation.check(em, flow.draft);
      const published = await em.transactional(async (tx) => {
        const locked = await tx.findOne(Flow, flowId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
        if (!locked) throw new NotFoundError('Flow', flowId);
        if (!locked.draft) throw noDraft(flowId);
        if (JSON.stringify(locked.draft) !== validated) return null;
        const latest = await tx.findOne(FlowVersion, { flow: locked }, { orderBy: { version: 'desc' }, fields: ['version'] });
        const version = tx.create(FlowVersion, { flow: locked, version: (latest?.version ?? 0) + 1, definition });
        locked.draft = null;
        locked.draftUpdatedAt = null;
        await tx.flush();
        return toVersionDto(flowId, version);
      });
      if (published) return published;
    }
    throw new ConflictError('The draft kept changing while it was being published; publish again.');
  }

  async versions(flowId: string): Promise<FlowVersionSummaryDto[]> {
    await this.findFlow(flowId);
    const rows = await this.em.getConnection().execute<{ id: string; version: number; published_at: Date; steps: string }[]>(
      `select id, version, published_at,
              (select count(*) from jsonb_object_keys(case when jsonb_typeof(definition->'steps') = 'object' then definition->'steps' else '{}'::jsonb end)) as steps
         from flow_versions where flow_id = ? order by version desc`,
      [flowId],
    );
    return rows.map((r) => ({ version: r.version, versionId: r.id, steps: Number(r.steps), publishedAt: new Date(r.published_at) }));
  }

  async version(flowId: string, number: number): Promise<FlowVersionDto> {
    const version = await this.em.findOne(FlowVersion, { flow: flowId, version: number });
    if (!version) throw new NotFoundError(`Version ${number} of flow`, flowId);
    return toVersionDto(flowId, version);
  }

  /** `from` and `to` are version numbers or `draft`. */
  async diff(flowId: string, from: string, to: string): Promise<FlowDiffDto> {
    const flow = await this.findFlow(flowId);
    const load = async (which: string): Promise<unknown> => {
      if (which !== 'draft') return (await this.version(flowId, Number(which))).definition;
      if (!flow.draft) throw new NotFoundError('Draft of flow', flowId);
      return flow.draft;
    };
    return diffFlows(await load(from), await load(to), { from, to });
  }

  /**
   * The definition a dry run walks: a version, the draft (which must be valid in full), or by
   * default the latest version, else the draft.
   */
  async runnableDefinition(flowId: string, which: number | 'draft' | undefined): Promise<{ version: number | 'draft'; definition: FlowDefinition }> {
    const flow = await this.findFlow(flowId);
    if (typeof which === 'number') return { version: which, definition: (await this.version(flowId, which)).definition };
    const latest = which === 'draft' ? null : await this.latest(flowId);
    if (latest) return { version: latest.version, definition: latest.definition };
    if (!flow.draft) throw new NotFoundError(which === 'draft' ? 'Draft of flow' : 'Published version or draft of flow', flowId);
    return { version: 'draft', definition: await this.validation.check(this.em, flow.draft) };
  }

  private async findFlow(id: string): Promise<Flow> {
    const flow = await this.em.findOne(Flow, id);
    if (!flow) throw new NotFoundError('Flow', id);
    return flow;
  }

  private latest(flowId: string): Promise<FlowVersion | null> {
    return this.em.findOne(FlowVersion, { flow: flowId }, { orderBy: { version: 'desc' }, populate: ['flow'] });
  }

  private async draftOf(flow: Flow): Promise<DraftDto | null> {
    if (!flow.draft || !flow.draftUpdatedAt) return null;
    return { definition: flow.draft, updatedAt: flow.draftUpdatedAt, problems: await this.validation.problems(this.em, flow.draft) };
  }

  private async toDto(flow: Flow, version: FlowVersion | null): Promise<FlowDto> {
    return {
      id: flow.id,
      name: flow.name,
      version: version?.version ?? null,
      versionId: version?.id ?? null,
      definition: version?.definition ?? null,
      publishedAt: version?.publishedAt ?? null,
      draft: await this.draftOf(flow),
      createdAt: flow.createdAt,
    };
  }
}

function noDraft(flowId: string): ConflictError {
  return new ConflictError(`Flow ${flowId} has no draft to publish; save one with PUT /v1/flows/${flowId}/draft.`);
}

function toVersionDto(flowId: string, version: FlowVersion): FlowVersionDto {
  return { flowId, version: version.version, versionId: version.id, definition: version.definition, publishedAt: version.publishedAt };
}
