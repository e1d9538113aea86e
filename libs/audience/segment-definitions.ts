import { EntityManager } from '@mikro-orm/postgresql';
import { AttributeDefinition, Segment } from '@ce/db';
import { FieldProblem, UnprocessableError } from '@ce/errors';
import {
  AttributeCatalog,
  AttributeSpec,
  CompiledSegment,
  compileSegment,
  expandedConditionCount,
  findCycle,
  isUuid,
  referencedSegments,
  SEGMENT_LIMITS,
  SegmentKind,
  segmentMembersSql,
  SegmentProblem,
  validateSegment,
} from '@ce/segments';

interface KnownSegment {
  name: string;
  kind: SegmentKind;
  definition: Record<string, unknown> | null;
}

/** Segments a definition refers to, directly or through others, by lower-case id. */
type SegmentGraph = Map<string, KnownSegment>;

/** How many segments one definition may reach through `inSegment`, directly or not. */
const MAX_REACHABLE_SEGMENTS = 1_000;

/**
 * The database side of the segment DSL: reads the declared attributes and the segments a
 * definition refers to, then validates (incl. cycles) or compiles it with @ce/segments.
 * Stateless; the API validates and previews with it, the campaign launch snapshots with it.
 */
export class SegmentDefinitions {
  /**
   * Throws SEGMENT_INVALID (422) listing every problem of a definition to be saved as segment
   * `selfId` (null for a preview): the DSL, unknown attributes and segments, a chain of
   * segments that leads back to itself, and the size once referenced segments are inlined.
   */
  async check(em: EntityManager, definition: Record<string, unknown>, selfId: string | null): Promise<void> {
    const attributes = await this.attributes(em);
    const graph = await this.graph(em, referencedSegments(definition));
    const problems = validateSegment(definition, { attributes, segments: (id) => graph.get(id)?.kind });
    if (problems.length > 0) throw invalid('The segment definition is not valid.', problems);

    const self = selfId?.toLowerCase();
    const load = (id: string) => (id === self ? definition : (graph.get(id)?.definition ?? null));
    const cycle = self ? findCycle(self, load) : null;
    if (cycle) {
      const names = cycle.map((id) => (id === self ? 'this segment' : `"${graph.get(id)?.name}" (${id})`));
      const message = `The segment would include itself: ${names.join(' → ')}.`;
      throw new UnprocessableError('SEGMENT_INVALID', message, [{ path: 'definition', message: `includes itself through ${names.join(' → ')}` }]);
    }
    const size = expandedConditionCount(definition, load);
    if (size > SEGMENT_LIMITS.maxExpandedConditions)
      throw invalid('The segment definition is too large.', [
        { path: '', message: `has ${size} conditions once the segments it refers to are included; at most ${SEGMENT_LIMITS.maxExpandedConditions} are allowed` },
      ]);
  }

  /**
   * The problems of each condition used outside a saved segment (a flow's branch on the lead),
   * listed rather than thrown, one list per condition in order: the DSL, unknown attributes and
   * segments, and the size once referenced segments are inlined. Reads the catalog once.
   */
  async conditionProblems(em: EntityManager, conditions: unknown[]): Promise<SegmentProblem[][]> {
    if (conditions.length === 0) return [];
    const attributes = await this.attributes(em);
    const graph = await this.graph(em, [...new Set(conditions.flatMap((c) => referencedSegments(c)))]);
    const load = (id: string) => graph.get(id)?.definition ?? null;
    return conditions.map((condition) => {
      const problems = validateSegment(condition, { attributes, segments: (id) => graph.get(id)?.kind });
      if (problems.length > 0) return problems;
      const size = expandedConditionCount(condition, load);
      return size > SEGMENT_LIMITS.maxExpandedConditions
        ? [{ path: '', message: `has ${size} conditions once the segments it refers to are included; at most ${SEGMENT_LIMITS.maxExpandedConditions} are allowed` }]
        : [];
    });
  }

  /**
   * Compiles a definition (a saved segment is `{ inSegment: id }`) with the attributes and
   * segments of now. A saved definition that no longer validates, because an attribute it
   * uses was removed or changed type, is refused rather than silently matching nobody.
   */
  async compile(em: EntityManager, definition: Record<string, unknown>, now = new Date()): Promise<CompiledSegment> {
    return (await this.compileAll(em, [definition], now))[0];
  }

  /** Several definitions at once, reading the attributes and the segments they use only once. */
  async compileAll(em: EntityManager, definitions: Record<string, unknown>[], now = new Date()): Promise<CompiledSegment[]> {
    const attributes = await this.attributes(em);
    const graph = await this.graph(em, [...new Set(definitions.flatMap((d) => referencedSegments(d)))]);
    for (const [id, segment] of graph) {
      if (segment.kind !== 'dynamic') continue;
      const problems = validateSegment(segment.definition, { attributes });
      if (problems.length > 0) throw invalid(`Segment "${segment.name}" (${id}) no longer matches the declared attributes.`, problems);
    }
    return definitions.map((definition) => compileSegment(definition, { attributes, now, segments: (id) => graph.get(id) }));
  }

  /** The ids of the dynamic segments whose definitions refer to this one. */
  async referrers(em: EntityManager, segmentId: string): Promise<{ id: string; name: string }[]> {
    const id = segmentId.toLowerCase();
    // The text search narrows the candidates; the DSL walk decides.
    const candidates: { id: string; name: string; definition: unknown }[] = await em.execute(
      `select id, name, definition from segments where kind = 'dynamic' and id <> ? and strpos(definition::text, ?) > 0`,
      [id, id],
    );
    return candidates.filter((s) => referencedSegments(s.definition).includes(id)).map(({ id: refId, name }) => ({ id: refId, name }));
  }

  private async attributes(em: EntityManager): Promise<AttributeCatalog> {
    const rows = await em.find(AttributeDefinition, {}, { fields: ['name', 'type', 'options'] });
    return new Map<string, AttributeSpec>(rows.map((a) => [a.name, { type: a.type, options: a.options }]));
  }

  /** Loads the segments reachable from `ids`, breadth first, following dynamic definitions. */
  private async graph(em: EntityManager, ids: string[]): Promise<SegmentGraph> {
    const graph: SegmentGraph = new Map();
    let frontier = ids.filter(isUuid);
    while (frontier.length > 0 && graph.size < MAX_REACHABLE_SEGMENTS) {
      const found = await em.find(Segment, { id: { $in: frontier } }, { fields: ['name', 'kind', 'definition'] });
      const next = new Set<string>();
      for (const s of found) {
        graph.set(s.id.toLowerCase(), { name: s.name, kind: s.kind, definition: s.definition });
        for (const ref of referencedSegments(s.definition)) if (!graph.has(ref) && isUuid(ref)) next.add(ref);
      }
      frontier = [...next];
    }
    return graph;
  }
}

/** `select l.id from leads l where …` for a saved segment's members as of `now`. */
export async function segmentMembersQuery(em: EntityManager, segmentId: string, now = new Date()): Promise<{ sql: string; params: unknown[] }> {
  return segmentMembersSql(await new SegmentDefinitions().compile(em, { inSegment: segmentId.toLowerCase() }, now));
}

function invalid(message: string, problems: FieldProblem[]): UnprocessableError {
  return new UnprocessableError(
    'SEGMENT_INVALID',
    message,
    problems.map((p) => ({ path: p.path === '' ? 'definition' : `definition.${p.path}`, message: p.message })),
  );
}
