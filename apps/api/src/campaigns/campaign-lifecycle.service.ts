import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import type { AppConfig } from '@ce/config';
import { CampaignCommand, campaignCommandSignal, CampaignLifecycleInput, TASK_QUEUES, workflowIds } from '@ce/contracts';
import { CampaignStatus } from '@ce/db';
import { ConflictError, InputInvalidError } from '@ce/errors';
import { APP_CONFIG } from '../config/config.module';
import { FlowsService } from '../flows/flows.service';
import { CampaignsService } from './campaigns.service';
import { CampaignDto, LaunchCampaignDto, UpdateCampaignDto } from './dto/campaign.dto';

/** How far ahead a launch may be scheduled. */
const MAX_SCHEDULE_AHEAD_MS = 366 * 86_400_000;

/**
 * Launch (now or later), pause, resume and cancel. The campaign's row changes first, in one
 * conditional update (so two racing requests cannot both win); then its lifecycle workflow is
 * told, which passes the change on to every running journey.
 */
@Injectable()
export class CampaignLifecycleService {
  constructor(
    private readonly em: EntityManager,
    private readonly campaigns: CampaignsService,
    private readonly flows: FlowsService,
    private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async launch(id: string, input: LaunchCampaignDto): Promise<CampaignDto> {
    const campaign = await this.campaigns.find(id);
    if (campaign.status !== 'draft') throw new ConflictError(`The campaign is ${campaign.status}; only a draft can be launched.`);
    const at = input.at ? new Date(input.at) : null;
    if (at && at.getTime() - Date.now() > MAX_SCHEDULE_AHEAD_MS)
      throw new InputInvalidError([{ path: 'at', message: 'must be within a year from now' }]);
    if (at && campaign.endsAt && at >= campaign.endsAt) throw new InputInvalidError([{ path: 'at', message: 'must be before the campaign ends (endsAt)' }]);
    const scheduled = at !== null && at.getTime() > Date.now();
    // The version is frozen now for an immediate launch; a scheduled one takes the latest at its time.
    const flowVersion = scheduled ? null : await this.flows.latestVersion(campaign.flow.id);

    const won = await this.transition(id, ['draft'], scheduled ? 'scheduled' : 'launching', {
      scheduled_at: at,
      launched_at: scheduled ? null : new Date(),
      flow_version_id: flowVersion?.id ?? null,
    });
    if (!won) throw new ConflictError('The campaign was launched by another request.');

    const workflowInput: CampaignLifecycleInput = { campaignId: id, segmentCheckIntervalMs: this.config.segmentExitCheckSeconds * 1000 };
    try {
      await this.temporal.workflow.start('campaignLifecycle', {
        taskQueue: TASK_QUEUES.campaigns,
        workflowId: workflowIds.campaign(id),
        args: [workflowInput],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      });
    } catch (error) {
      await this.transition(id, ['scheduled', 'launching'], 'draft', { scheduled_at: null, launched_at: null, flow_version_id: null });
      throw error;
    }
    return this.campaigns.get(id);
  }

  /** Sends and other actions hold; timers keep counting. */
  pause(id: string): Promise<CampaignDto> {
    return this.change(id, ['launching', 'running'], 'paused', 'pause', { paused_at: new Date() }, 'Only a launching or running campaign can be paused.');
  }

  /** Held actions, and steps that fell due during the pause, run now. */
  resume(id: string): Promise<CampaignDto> {
    return this.change(id, ['paused'], 'running', 'resume', { paused_at: null }, 'Only a paused campaign can be resumed.');
  }

  /** Every running journey exits (reason `cancelled`); a scheduled launch never happens. */
  cancel(id: string): Promise<CampaignDto> {
    return this.change(
      id,
      ['scheduled', 'launching', 'running', 'paused'],
      'cancelled',
      'cancel',
      { ended_at: new Date(), paused_at: null },
      'Only a scheduled, launching, running or paused campaign can be cancelled.',
    );
  }

  /** Changes the campaign's settings; a new end date reaches a launched campaign's workflow at once. */
  async update(id: string, input: UpdateCampaignDto): Promise<CampaignDto> {
    const { campaign, endsAtChanged } = await this.campaigns.update(id, input);
    const launched = campaign.status !== 'draft' && campaign.status !== 'completed' && campaign.status !== 'cancelled';
    if (endsAtChanged && launched) await this.signal(id, 'settings_changed');
    return this.campaigns.get(id);
  }

  private async change(
    id: string,
    from: CampaignStatus[],
    to: CampaignStatus,
    command: CampaignCommand,
    columns: Record<string, Date | null>,
    refusal: string,
  ): Promise<CampaignDto> {
    const campaign = await this.campaigns.find(id);
    if (!(await this.transition(id, from, to, columns))) throw new ConflictError(`The campaign is ${campaign.status}. ${refusal}`);
    await this.signal(id, command);
    return this.campaigns.get(id);
  }

  /** Moves the status only if it is still one of `from`; true when this call made the change. */
  private async transition(id: string, from: CampaignStatus[], to: CampaignStatus, columns: Record<string, Date | string | null>): Promise<boolean> {
    const names = Object.keys(columns);
    const rows = await this.em.getConnection().execute<{ id: string }[]>(
      `update campaigns set status = ?${names.map((n) => `, ${n} = ?`).join('')}
       where id = ? and status = any(?::text[]) returning id`,
      [to, ...names.map((n) => columns[n]), id, `{${from.join(',')}}`],
    );
    this.em.clear();
    return rows.length === 1;
  }

  private async signal(id: string, command: CampaignCommand): Promise<void> {
    await this.temporal.workflow.getHandle(workflowIds.campaign(id)).signal(campaignCommandSignal, command);
  }
}
