import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Flow, FlowVersion, Template } from '@ce/db';
import { FlowInvalidError, NotFoundError } from '@ce/errors';
import { FlowDefinition, StepRegistry, validateFlow } from '@ce/flows';
import { CreateFlowDto, FlowDto } from './dto/flow.dto';

@Injectable()
export class FlowsService {
  constructor(
    private readonly em: EntityManager,
    private readonly registry: StepRegistry,
  ) {}

  /** Validates the definition in full and publishes it as version 1. */
  async create(input: CreateFlowDto): Promise<FlowDto> {
    const definition = await this.validate(input.definition);
    const flow = this.em.create(Flow, { name: input.name });
    const version = this.em.create(FlowVersion, { flow, version: 1, definition });
    await this.em.flush();
    return toDto(flow, version);
  }

  async get(id: string): Promise<FlowDto> {
    const version = await this.latestVersion(id);
    return toDto(version.flow, version);
  }

  async latestVersion(flowId: string): Promise<FlowVersion> {
    const version = await this.em.findOne(
      FlowVersion,
      { flow: flowId },
      { orderBy: { version: 'desc' }, populate: ['flow'] },
    );
    if (!version) throw new NotFoundError('Flow', flowId);
    return version;
  }

  private async validate(input: Record<string, unknown>): Promise<FlowDefinition> {
    const { problems, references } = validateFlow(input, this.registry);
    const templateIds = [...new Set(references.filter((r) => r.kind === 'template').map((r) => r.id))];
    if (templateIds.length > 0) {
      const found = new Set((await this.em.find(Template, { id: { $in: templateIds } }, { fields: ['id'] })).map((t) => t.id));
      for (const ref of references)
        if (!found.has(ref.id)) problems.push({ path: ref.path, message: `template ${ref.id} does not exist` });
    }
    if (problems.length > 0) throw new FlowInvalidError(problems.map((p) => ({ path: prefixed(p.path), message: p.message })));
    return input as unknown as FlowDefinition;
  }
}

function prefixed(path: string): string {
  return path === '' ? 'definition' : `definition.${path}`;
}

function toDto(flow: Flow, version: FlowVersion): FlowDto {
  return {
    id: flow.id,
    name: flow.name,
    version: version.version,
    versionId: version.id,
    definition: version.definition,
    createdAt: flow.createdAt,
  };
}
