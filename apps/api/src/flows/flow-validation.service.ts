import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { SegmentDefinitions } from '@ce/audience';
import { AttributeDefinition, Segment, Template } from '@ce/db';
import { FieldProblem, FlowInvalidError, InputInvalidError } from '@ce/errors';
import { FlowDefinition, FlowProblem, FlowReference, StepRegistry, validateFlow } from '@ce/flows';
import { checkTemplateSyntax } from '@ce/mail';
import { isUuid } from '@ce/segments';
import { TemplatesService } from '../templates/templates.service';

/** A definition as JSON may be at most this large, draft or published. */
export const MAX_DEFINITION_BYTES = 256 * 1024;

type IdReference = Extract<FlowReference, { id: string }>;
type ConditionReference = Extract<FlowReference, { kind: 'condition' }>;
type TextReference = Extract<FlowReference, { kind: 'text_template' }>;

/** Message texts in steps must compile and use only known helpers, as email templates must. */
function textTemplateProblems(refs: TextReference[]): FlowProblem[] {
  return refs.flatMap((ref) => checkTemplateSyntax({ html: ref.source }).map((p) => ({ path: ref.path, message: p.message })));
}

/**
 * Full design-time validation of a flow: the shape, each step against its registered type and
 * the graph (libs/flows), then what only the database knows: the templates, segments and
 * attributes the flow names, and each branch condition on the lead as a segment condition.
 * Problem paths are under `definition.`, as the definition is sent.
 */
@Injectable()
export class FlowValidationService {
  private readonly segments = new SegmentDefinitions();

  constructor(
    private readonly registry: StepRegistry,
    private readonly templates: TemplatesService,
  ) {}

  /** Refuses (400) a definition that is not a JSON object of at most 256 KB. */
  checkSize(definition: unknown): void {
    const bytes = Buffer.byteLength(JSON.stringify(definition) ?? '', 'utf8');
    if (bytes > MAX_DEFINITION_BYTES)
      throw new InputInvalidError([{ path: 'definition', message: `is ${bytes} bytes as JSON; at most ${MAX_DEFINITION_BYTES} are allowed` }]);
  }

  /** Every problem of the definition, the graph's first, then the database's; none when it is valid. */
  async problems(em: EntityManager, definition: unknown): Promise<FieldProblem[]> {
    const { problems, references } = validateFlow(definition, this.registry);
    problems.push(...(await this.referenceProblems(em, references)));
    return problems.map((p) => ({ path: p.path === '' ? 'definition' : `definition.${p.path}`, message: p.message }));
  }

  /** The definition, once it is valid in full; else FLOW_INVALID (422) listing every problem. */
  async check(em: EntityManager, definition: unknown): Promise<FlowDefinition> {
    const problems = await this.problems(em, definition);
    if (problems.length > 0) throw new FlowInvalidError(problems);
    return definition as FlowDefinition;
  }

  private async referenceProblems(em: EntityManager, references: FlowReference[]): Promise<FlowProblem[]> {
    const byKind = (kind: IdReference['kind']) => references.filter((r): r is IdReference => r.kind === kind);
    const conditions = references.filter((r): r is ConditionReference => r.kind === 'condition');
    return [
      ...(await this.templateProblems(em, byKind('template'))),
      ...(await this.segmentProblems(em, byKind('segment'))),
      ...(await this.attributeProblems(em, byKind('attribute'))),
      ...(await this.conditionProblems(em, conditions)),
      ...textTemplateProblems(references.filter((r): r is TextReference => r.kind === 'text_template')),
    ];
  }

  private async templateProblems(em: EntityManager, refs: IdReference[]): Promise<FlowProblem[]> {
    const ids = uniqueUuids(refs);
    const found = ids.length === 0 ? [] : await em.find(Template, { id: { $in: ids } }, { fields: ['id', 'kind'] });
    const kinds = new Map(found.map((t) => [t.id.toLowerCase(), t.kind]));
    // A template that exists but could not be sent as it stands (e.g. a `reject` template using
    // a variable nothing provides) says why, once per template, at every step that sends it.
    const sendable = [...kinds].filter(([, kind]) => kind === 'email').map(([id]) => id);
    const reasons = new Map(await Promise.all(sendable.map(async (id) => [id, await this.templates.publishProblems(id)] as const)));
    const problems: FlowProblem[] = [];
    for (const ref of refs) {
      const kind = kinds.get(ref.id.toLowerCase());
      if (kind === undefined) problems.push({ path: ref.path, message: `template ${ref.id} does not exist` });
      else if (kind !== 'email') problems.push({ path: ref.path, message: `template ${ref.id} is a ${kind}, not an email template` });
      else for (const reason of reasons.get(ref.id.toLowerCase()) ?? []) problems.push({ path: ref.path, message: reason });
    }
    return problems;
  }

  private async segmentProblems(em: EntityManager, refs: IdReference[]): Promise<FlowProblem[]> {
    const ids = uniqueUuids(refs);
    const found = ids.length === 0 ? [] : await em.find(Segment, { id: { $in: ids } }, { fields: ['id'] });
    const known = new Set(found.map((s) => s.id.toLowerCase()));
    return refs.filter((r) => !known.has(r.id.toLowerCase())).map((r) => ({ path: r.path, message: `segment ${r.id} does not exist` }));
  }

  private async attributeProblems(em: EntityManager, refs: IdReference[]): Promise<FlowProblem[]> {
    const names = [...new Set(refs.map((r) => r.id))];
    const found = names.length === 0 ? [] : await em.find(AttributeDefinition, { name: { $in: names } }, { fields: ['name'] });
    const known = new Set(found.map((a) => a.name));
    return refs
      .filter((r) => !known.has(r.id))
      .map((r) => ({ path: r.path, message: `attribute "${r.id}" is not declared; declare it under /v1/attribute-definitions first` }));
  }

  /** Each lead condition checked as a segment condition; inner paths continue the reference's. */
  private async conditionProblems(em: EntityManager, refs: ConditionReference[]): Promise<FlowProblem[]> {
    const results = await this.segments.conditionProblems(em, refs.map((r) => r.condition));
    return refs.flatMap((ref, i) =>
      results[i].map((p) => ({ path: p.path === '' ? ref.path : `${ref.path}.${p.path}`, message: p.message })),
    );
  }
}

/** Ids that can be looked up; anything else cannot exist and is reported as missing. */
function uniqueUuids(refs: IdReference[]): string[] {
  return [...new Set(refs.map((r) => r.id.toLowerCase()).filter(isUuid))];
}
