import { ApplicationFailure, Context } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompleteEnrollmentInput, ENROLLMENT_BATCH_SIZE, LeadConditionsInput, workflowIds } from '@ce/contracts';
import { Campaign, Enrollment } from '@ce/db';
import { leadMeetsConditions, segmentMembersQuery } from '@ce/audience';
import type { ActivityDeps } from '../deps';
import { createCampaignLifecycleActivities } from './campaign-lifecycle.activities';
import { startNurture } from './start-nurture';

/**
 * Copies the campaign's audience into campaign_audience once, at launch: later changes to a
 * segment do not change who the campaign is for. The flag and the copy commit together.
 */
async function snapshotAudience(em: EntityManager, campaign: Campaign): Promise<void> {
  await em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const claimed = await conn.execute<{ id: string }[]>(
      'update campaigns set audience_snapshot_at = now() where id = ? and audience_snapshot_at is null returning id',
      [campaign.id],
    );
    if (claimed.length === 0) return;
    const { leadIds, segmentId } = campaign.audience;
    if (segmentId) {
      const members = await segmentMembersQuery(tx, segmentId);
      await conn.execute(
        `insert into campaign_audience (campaign_id, lead_id) select ?::uuid, m.id from (${members.sql}) m on conflict do nothing`,
        [campaign.id, ...members.params],
      );
    } else {
      await conn.execute(
        `insert into campaign_audience (campaign_id, lead_id)
         select ?, l.id from leads l where l.id = any(?::uuid[]) on conflict do nothing`,
        [campaign.id, `{${(leadIds ?? []).join(',')}}`],
      );
    }
    await conn.execute(
      'update campaigns set audience_size = (select count(*) from campaign_audience where campaign_id = ?) where id = ?',
      [campaign.id, campaign.id],
    );
  });
}

export const createEnrollmentActivities = (deps: ActivityDeps) => {
  const { orm, temporal, logger } = deps;
  return {
    ...createCampaignLifecycleActivities(deps),

    /**
     * Enrolls the campaign's audience in batches and starts one nurture workflow per lead.
     * Enrollment rows are unique per (campaign, lead) and workflow ids are built from both,
     * so a resumed or repeated run enrolls and starts nobody twice.
     */
    async enrollAudience(input: { campaignId: string }): Promise<{ enrolled: number }> {
      const em = orm.em.fork();
      const campaign = await em.findOneOrFail(Campaign, input.campaignId, { populate: ['flowVersion'] });
      const flowVersion = campaign.flowVersion;
      if (!flowVersion) throw ApplicationFailure.nonRetryable(`campaign ${campaign.id} has no flow version snapshot`, 'NoFlowVersion');
      await snapshotAudience(em, campaign);

      // Only leads that consent to the campaign's channel are enrolled.
      let cursor: string = Context.current().info.heartbeatDetails ?? '00000000-0000-0000-0000-000000000000';
      for (;;) {
        // The row is the truth: a cancel stops enrolling; a pause makes new journeys start paused.
        const { status } = await em.findOneOrFail(Campaign, campaign.id, { fields: ['status'], refresh: true });
        if (status === 'cancelled' || status === 'completed') break;
        campaign.status = status;
        const batch = await em.getConnection().execute<{ lead_id: string; time_zone: string | null }[]>(
          `select a.lead_id, l.time_zone from campaign_audience a
           join lead_consents c on c.lead_id = a.lead_id and c.channel = ? and c.status = 'subscribed'
           join leads l on l.id = a.lead_id
           where a.campaign_id = ? and a.lead_id > ?
           order by a.lead_id limit ?`,
          [campaign.channel, campaign.id, cursor, ENROLLMENT_BATCH_SIZE],
        );
        if (batch.length === 0) break;
        const leadIds = batch.map((row) => row.lead_id);
        const zones = new Map(batch.map((row) => [row.lead_id, row.time_zone]));
        // Unique per (campaign, lead, sequence): a repeated batch inserts nothing new and finds its rows.
        await em.getConnection().execute(
          `insert into enrollments (id, campaign_id, lead_id, flow_version_id, status, workflow_id)
           select gen_random_uuid(), ?, x.lead_id, ?, 'active', x.workflow_id
           from unnest(?::uuid[], ?::text[]) as x(lead_id, workflow_id)
           on conflict (campaign_id, lead_id, sequence) do nothing`,
          [campaign.id, flowVersion.id, `{${leadIds.join(',')}}`, `{${leadIds.map((id) => workflowIds.nurture(campaign.id, id)).join(',')}}`],
        );
        const rows = await em.getConnection().execute<{ id: string; lead_id: string; sequence: number; flow_version_id: string }[]>(
          `select id, lead_id, sequence, flow_version_id from enrollments
           where campaign_id = ? and sequence = 1 and lead_id = any(?::uuid[])`,
          [campaign.id, `{${leadIds.join(',')}}`],
        );
        await Promise.all(
          rows
            .filter((row) => row.flow_version_id === flowVersion.id)
            .map((row) => startNurture(temporal, campaign, flowVersion, { id: row.id, leadId: row.lead_id, leadTimeZone: zones.get(row.lead_id) ?? null, sequence: row.sequence })),
        );
        em.clear();
        cursor = leadIds[leadIds.length - 1];
        Context.current().heartbeat(cursor);
      }
      const enrolled = await em.count(Enrollment, { campaign: campaign.id });
      logger.info({ msg: 'audience enrolled', campaignId: campaign.id, enrolled });
      return { enrolled };
    },

    async markCampaignRunning(input: { campaignId: string }): Promise<void> {
      await orm.em.fork().nativeUpdate(Campaign, { id: input.campaignId, status: 'launching' }, { status: 'running' });
    },

    /** Answers a branch step's lead conditions, in order. */
    async evaluateLeadConditions(input: LeadConditionsInput): Promise<boolean[]> {
      return leadMeetsConditions(orm.em.fork(), input.leadId, input.conditions);
    },

    async completeEnrollment(input: CompleteEnrollmentInput): Promise<void> {
      await orm.em.fork().nativeUpdate(
        Enrollment,
        { id: input.enrollmentId, status: 'active' },
        { status: input.status, endReason: input.reason, endedAt: new Date() },
      );
    },
  };
};
