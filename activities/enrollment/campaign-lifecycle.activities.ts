import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BroadcastInput, CampaignClock, exitSignal, pauseSignal, resumeSignal } from '@ce/contracts';
import { Campaign, FlowVersion } from '@ce/db';
import { segmentMembersQuery } from '@ce/audience';
import type { ExitRule } from '@ce/flows';
import type { ActivityDeps } from '../deps';
import { inParallel } from '../in-parallel';

const BROADCAST_PAGE = 1_000;
const SIGNALS_IN_FLIGHT = 50;

type CampaignRef = { campaignId: string };

/** The segment exit rules of the flow versions the campaign's running enrollments use. */
async function segmentRules(em: EntityManager, campaignId: string): Promise<{ versionId: string; rules: ExitRule[] }[]> {
  const versions: { id: string }[] = await em.getConnection().execute(
    `select distinct flow_version_id as id from enrollments where campaign_id = ? and status = 'active'`,
    [campaignId],
  );
  const found = await em.find(FlowVersion, { id: { $in: versions.map((v) => v.id) } });
  return found
    .map((v) => ({ versionId: v.id, rules: (v.definition.exitRules ?? []).filter((r) => r.on === 'segment_entered' || r.on === 'segment_left') }))
    .filter((v) => v.rules.length > 0);
}

export const createCampaignLifecycleActivities = ({ orm, temporal, logger }: ActivityDeps) => ({
  async campaignClock({ campaignId }: CampaignRef): Promise<CampaignClock> {
    const em = orm.em.fork();
    const campaign = await em.findOneOrFail(Campaign, campaignId, { populate: ['flowVersion'] });
    const launchedRules = (await segmentRules(em, campaignId)).length > 0;
    const snapshotRules = (campaign.flowVersion?.definition.exitRules ?? []).some((r) => r.on === 'segment_entered' || r.on === 'segment_left');
    return {
      status: campaign.status,
      scheduledAt: campaign.scheduledAt?.getTime() ?? null,
      endsAt: campaign.endsAt?.getTime() ?? null,
      hasSegmentExitRules: launchedRules || snapshotRules,
    };
  },

  /** Freezes the flow's latest published version for the launch; new enrollments later take the latest then. */
  async beginLaunch({ campaignId }: CampaignRef): Promise<void> {
    const em = orm.em.fork();
    const campaign = await em.findOneOrFail(Campaign, campaignId);
    if (campaign.flowVersion === null) {
      campaign.flowVersion = await em.findOneOrFail(FlowVersion, { flow: campaign.flow.id }, { orderBy: { version: 'desc' } });
    }
    if (campaign.status === 'scheduled') campaign.status = 'launching';
    campaign.launchedAt ??= new Date();
    await em.flush();
  },

  async countEnrollments({ campaignId }: CampaignRef): Promise<number> {
    const rows = await orm.em.fork().getConnection().execute<{ n: number }[]>('select count(*)::int as n from enrollments where campaign_id = ?', [campaignId]);
    return rows[0].n;
  },

  async endCampaign({ campaignId }: CampaignRef): Promise<void> {
    await orm.em.fork().getConnection().execute(
      `update campaigns set status = 'completed', ended_at = now() where id = ? and status not in ('completed', 'cancelled')`,
      [campaignId],
    );
  },

  /**
   * Signals every cohort workflow with a running enrollment in the campaign (one signal reaches
   * all its leads), page by page, heartbeating the last workflow id so a retry carries on. A
   * cohort whose workflow is gone has its journeys closed in the database instead.
   */
  async broadcastToEnrollments(input: BroadcastInput): Promise<{ signalled: number }> {
    const em = orm.em.fork();
    let cursor: string = Context.current().info.heartbeatDetails ?? '';
    let signalled = 0;
    for (;;) {
      const page = await em.getConnection().execute<{ workflow_id: string }[]>(
        `select distinct workflow_id from enrollments where campaign_id = ? and status = 'active' and workflow_id > ? order by workflow_id limit ?`,
        [input.campaignId, cursor, BROADCAST_PAGE],
      );
      if (page.length === 0) break;
      await inParallel(page, SIGNALS_IN_FLIGHT, async (row) => {
        const handle = temporal.workflow.getHandle(row.workflow_id);
        const sent =
          input.signal === 'exit'
            ? handle.signal(exitSignal, { reason: input.reason ?? 'cancelled' })
            : handle.signal(input.signal === 'pause' ? pauseSignal : resumeSignal);
        await sent.then(
          () => void signalled++,
          async (error: unknown) => {
            if (!(error instanceof WorkflowNotFoundError)) throw error;
            if (input.signal === 'exit')
              await em.getConnection().execute(
                `update enrollments set status = 'exited', end_reason = ?, ended_at = now()
                 where campaign_id = ? and workflow_id = ? and status = 'active'`,
                [input.reason ?? 'cancelled', input.campaignId, row.workflow_id],
              );
          },
        );
      });
      cursor = page[page.length - 1].workflow_id;
      Context.current().heartbeat(cursor);
    }
    logger.info({ msg: 'campaign broadcast', campaignId: input.campaignId, signal: input.signal, signalled });
    return { signalled };
  },

  /**
   * Ends the journeys whose lead entered a segment the flow says to leave on entering, or left
   * one it says to leave on leaving (a lead never in it counts as having left).
   */
  async sweepSegmentExits({ campaignId }: CampaignRef): Promise<{ exited: number }> {
    const em = orm.em.fork();
    let exited = 0;
    for (const { versionId, rules } of await segmentRules(em, campaignId)) {
      for (const rule of rules) {
        if (rule.on !== 'segment_entered' && rule.on !== 'segment_left') continue;
        const members = await segmentMembersQuery(em, rule.segmentId);
        const test = rule.on === 'segment_entered' ? 'in' : 'not in';
        const rows = await em.getConnection().execute<{ id: string; workflow_id: string }[]>(
          `select e.id, e.workflow_id from enrollments e
           where e.campaign_id = ? and e.flow_version_id = ? and e.status = 'active' and e.lead_id ${test} (${members.sql})`,
          [campaignId, versionId, ...members.params],
        );
        await inParallel(rows, SIGNALS_IN_FLIGHT, async (row) => {
          await temporal.workflow
            .getHandle(row.workflow_id)
            .signal(exitSignal, { enrollmentId: row.id, reason: rule.on })
            .then(() => void exited++, (error: unknown) => {
              if (!(error instanceof WorkflowNotFoundError)) throw error;
            });
        });
      }
    }
    if (exited > 0) logger.info({ msg: 'segment exits', campaignId, exited });
    return { exited };
  },
});
