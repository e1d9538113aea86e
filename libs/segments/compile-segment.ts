import { compileAttribute, compileField, NEVER, Predicate } from './compile-comparison';
import { compileBehaviour, compileConsent, compileStaticMembership } from './compile-subqueries';
import {
  AttributeCatalog,
  AttributeCondition,
  Behaviour,
  ConsentCondition,
  FieldCondition,
  ReferencedSegment,
} from './segment.types';
import { joinSql, sql, TRUE } from './sql-fragment';
import { isPlainObject } from './values';

export interface CompileContext {
  attributes: AttributeCatalog;
  /** The evaluation time: relative dates and `within` windows count back from it. */
  now: Date;
  /** The segment with this (lower-case) id, for `inSegment`; undefined when there is none. */
  segments: (id: string) => ReferencedSegment | undefined;
}

/**
 * A boolean SQL predicate over the leads row aliased `l`, with `?` placeholders and its
 * parameters in order. Run it through MikroORM's `em.getConnection().execute(sql, params)`.
 */
export interface CompiledSegment {
  where: string;
  params: unknown[];
}

export interface SegmentQuery {
  sql: string;
  params: unknown[];
}

/**
 * Compiles a validated definition into one parameterised predicate. User values and attribute
 * names only ever become parameters. A reference that no longer resolves (a segment deleted,
 * an attribute undeclared since) compiles to `false` rather than failing.
 */
export function compileSegment(definition: unknown, ctx: CompileContext): CompiledSegment {
  const { fragment } = new SegmentCompiler(ctx).condition(definition);
  return { where: fragment.text, params: [...fragment.params] };
}

/** `select count(*)::int as count from leads l where …` */
export function segmentCountSql(compiled: CompiledSegment): SegmentQuery {
  return { sql: `select count(*)::int as count from leads l where ${compiled.where}`, params: [...compiled.params] };
}

/** The first `limit` members by score (then id), with the fields a preview shows. */
export function segmentSampleSql(compiled: CompiledSegment, limit: number): SegmentQuery {
  const columns = 'l.id, l.email, l.first_name as "firstName", l.last_name as "lastName", l.score, l.lifecycle_stage as "lifecycleStage"';
  return {
    sql: `select ${columns} from leads l where ${compiled.where} order by l.score desc, l.id limit ?`,
    params: [...compiled.params, Math.max(0, Math.trunc(limit))],
  };
}

/** `select l.id from leads l where …`, for `insert into … select` snapshots. */
export function segmentMembersSql(compiled: CompiledSegment): SegmentQuery {
  return { sql: `select l.id from leads l where ${compiled.where}`, params: [...compiled.params] };
}

class SegmentCompiler {
  /** Dynamic segments being inlined, to stop at a cycle should one have slipped past validation. */
  private readonly inlining = new Set<string>();

  constructor(private readonly ctx: CompileContext) {}

  condition(node: unknown): Predicate {
    if (!isPlainObject(node)) return NEVER;
    if ('all' in node) return this.group(node.all, 'and');
    if ('any' in node) return this.group(node.any, 'or');
    if ('not' in node) return negate(this.condition(node.not));
    if ('field' in node) return compileField(node as unknown as FieldCondition, this.ctx.now);
    if ('attribute' in node) {
      const name = node.attribute;
      const spec = typeof name === 'string' ? this.ctx.attributes.get(name) : undefined;
      return compileAttribute(node as unknown as AttributeCondition, spec, this.ctx.now);
    }
    if ('consent' in node) return compileConsent(node as unknown as ConsentCondition);
    if ('did' in node) return compileBehaviour(node.did as Behaviour, false, this.ctx.now);
    if ('didNot' in node) return compileBehaviour(node.didNot as Behaviour, true, this.ctx.now);
    if ('inSegment' in node && typeof node.inSegment === 'string') return this.inSegment(node.inSegment.toLowerCase());
    return NEVER;
  }

  private group(list: unknown, joiner: 'and' | 'or'): Predicate {
    const children = Array.isArray(list) ? list.map((child) => this.condition(child)) : [];
    if (children.length === 0) return joiner === 'and' ? { fragment: TRUE, nullable: false } : NEVER;
    if (children.length === 1) return children[0];
    return {
      fragment: sql`(${joinSql(
        children.map((c) => c.fragment),
        ` ${joiner} `,
      )})`,
      nullable: children.some((c) => c.nullable),
    };
  }

  private inSegment(id: string): Predicate {
    const segment = this.ctx.segments(id);
    if (!segment) return NEVER;
    if (segment.kind === 'static') return compileStaticMembership(id);
    if (this.inlining.has(id)) return NEVER;
    this.inlining.add(id);
    const inner = this.condition(segment.definition);
    this.inlining.delete(id);
    return { fragment: sql`(${inner.fragment})`, nullable: inner.nullable };
  }
}

/**
 * Two-valued NOT: a condition that may be NULL (a comparison on a missing value) counts as
 * false, so `not` of it is true. Never-NULL conditions keep a plain NOT, which lets PostgreSQL
 * turn `not exists` into an anti-join.
 */
function negate(inner: Predicate): Predicate {
  return {
    fragment: inner.nullable ? sql`not coalesce(${inner.fragment}, false)` : sql`not (${inner.fragment})`,
    nullable: false,
  };
}
