import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import { refreshAgainSignal, TASK_QUEUES, workflowIds } from '@ce/contracts';
import { ATTRIBUTION_SETTINGS_ID, AttributionSettings, ChannelWeight } from '@ce/db';
import { AttributionSettingsDto, ChannelWeightDto, RefreshStartedDto, SettingsChangedDto, UpdateAttributionSettingsDto } from './dto/attribution.dto';

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

  async settings(): Promise<AttributionSettingsDto> {
    return toSettingsDto(await this.currentSettings(this.em.fork()));
  }

  /**
   * Changes the look-back window and the half-life. When either changes, every conversion is
   * attributed again: the refresh starts, or, when one is running, runs once more after its
   * current pass (signal-with-start), so no conversion keeps credits from the old settings.
   */
  async updateSettings(input: UpdateAttributionSettingsDto): Promise<SettingsChangedDto> {
    const em = this.em.fork();
    const { settings, changed } = await em.transactional(async (tx) => {
      const row = await this.currentSettings(tx, true);
      if (row.lookbackDays === input.lookbackDays && row.halfLifeDays === input.halfLifeDays) return { settings: row, changed: false };
      Object.assign(row, { lookbackDays: input.lookbackDays, halfLifeDays: input.halfLifeDays, updatedAt: new Date() });
      return { settings: row, changed: true };
    });
    if (!changed) return { ...toSettingsDto(settings), refresh: null };
    const handle = await this.temporal.workflow.signalWithStart('refreshAttributionModels', {
      taskQueue: TASK_QUEUES.campaigns,
      workflowId: workflowIds.attributionRefresh,
      signal: refreshAgainSignal,
      signalArgs: [],
    });
    return { ...toSettingsDto(settings), refresh: { workflowId: handle.workflowId, runId: handle.signaledRunId } };
  }

  /** The settings row (made with the defaults if the migration's row was removed), locked for update when asked. */
  private async currentSettings(em: EntityManager, lock = false): Promise<AttributionSettings> {
    await em.getConnection().execute('insert into attribution_settings (id) values (?) on conflict do nothing', [ATTRIBUTION_SETTINGS_ID]);
    return em.findOneOrFail(AttributionSettings, ATTRIBUTION_SETTINGS_ID, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  }
}

function toSettingsDto(s: AttributionSettings): AttributionSettingsDto {
  return { lookbackDays: s.lookbackDays, halfLifeDays: s.halfLifeDays, updatedAt: s.updatedAt };
}
