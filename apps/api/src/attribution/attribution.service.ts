import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import { TASK_QUEUES, workflowIds } from '@ce/contracts';
import { ChannelWeight } from '@ce/db';
import { ChannelWeightDto, RefreshStartedDto } from './dto/attribution.dto';

@Injectable()
export class AttributionService {
  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
  ) {}

  /** Starts the refresh of the data-driven models, or answers the one already running. */
  async refresh(): Promise<RefreshStartedDto> {
    const handle = await this.temporal.workflow.start('refreshAttributionModels', {
      taskQueue: TASK_QUEUES.campaigns,
      workflowId: workflowIds.attributionRefresh,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
  }

  async weights(): Promise<ChannelWeightDto[]> {
    const rows = await this.em.fork().find(ChannelWeight, {}, { orderBy: { model: 'asc', weight: 'desc', channel: 'asc' } });
    return rows.map((r) => ({ model: r.model, channel: r.channel, weight: r.weight, computedAt: r.computedAt }));
  }
}
