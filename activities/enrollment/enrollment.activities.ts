import { ApplicationFailure, Context } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { CohortConditionsInput, CompleteEnrollmentInput, ENROLLMENT_BATCH_SIZE, NurtureMember, workflowIds } from '@ce/contracts';
import { arrayLiteral, Campaign, Enrollment } from '@ce/db';
import { leadsMeetConditions, segmentMembersQuery } from '@ce/audience';
import type { ActivityDeps } from '../deps';
import { createCampaignLifecycleActivities } from './campaign-lifecycle.activities';
import { startNurture } from './start-nurture';

/**
 * Copies the campaign's audience into campaign_audience once, at launch: later changes to a
 * segment do not change who the campaign is for. The flag and the copy commit together.
 */
async function snapshotAudience(em: EntityManager, campaign: Campaign): Promise<void> {
  await em.transactional(async (tx) => {
    const conn = tx;
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
  const { orm, temporal, logger, config } = deps;
  return {
    ...createCampaignLifecycleActivities(deps),

    /**
     * Enrolls the campaign's audience in batches and starts a nurture workflow for every cohort
     * of up to `NURTURE_COHORT_SIZE` leads. Enrollment rows are unique per (campaign, lead) and
     * carry their cohort's workflow id from the moment they are made, so a resumed or repeated
     * run enrolls nobody twice and starts every cohort once.
     */
    async enrollAudience(input: { campaignId: string }): Promise<{ enrolled: number }> {
      const em = orm.em.fork();
      const campaign = await em.findOneOrFail(Campaign, input.campaignId, { populate: ['flowVersion'] });
      const flowVersion = campaign.flowVersion;
      if (!flowVersion) throw ApplicationFailure.nonRetryable(`campaign ${campaign.id} has no flow version snapshot`, 'NoFlowVersion');
      await snapshotAudience(em, campaign);
      const conn = em.getConnection();

      // Only leads that consent to the campaign's channel are enrolled.
      let cursor: string = Context.current().info.heartbeatDetails ?? '00000000-0000-0000-0000-000000000000';
      for (;;) {
        // The row is the truth: a cancel stops enrolling; a pause makes new journeys start paused.
        const { status } = await em.findOneOrFail(Campaign, campaign.id, { fields: ['status'], refresh: true });
        if (status === 'cancelled' || status === 'completed') break;
        campaign.status = status;
        const batch = await conn.execute<{ lead_id: string }[]>(
          `select a.lead_id from campaign_audience a
           join lead_consents c on c.lead_id = a.lead_id and c.channel = ? and c.status = 'subscribed'
           where a.campaign_id = ? and a.lead_id > ?
           order by a.lead_id limit ?`,
          [campaign.channel, campaign.id, cursor, ENROLLMENT_BATCH_SIZE],
        );
        if (batch.length === 0) break;
        const leadIds = arrayLiteral(batch.map((row) => row.lead_id));
        // Unique per (campaign, lead, sequence): a repeated batch inserts nothing new and finds its rows.
        await conn.execute(
          `insert into enrollments (id, campaign_id, lead_id, flow_version_id, status, workflow_id)
           select gen_random_uuid(), ?, x.lead_id, ?, 'active', ? || ((x.n - 1) / ?)::text
           from unnest(?::uuid[]) with ordinality as x(lead_id, n)
           on conflict (campaign_id, lead_id, sequence) do nothing`,
          [campaign.id, flowVersion.id, workflowIds.cohortPrefix(campaign.id, randomUUID()), config.nurtureCohortSize, leadIds],
        );
        // Every member of every cohort this batch's leads are in, including any that an
        // interrupted run enrolled but a changed audience no longer lists.
        const rows = await conn.execute<{ id: string; lead_id: string; workflow_id: string; time_zone: string | null }[]>(
          `select e.id, e.lead_id, e.workflow_id, l.time_zone from enrollments e join leads l on l.id = e.lead_id
           where e.campaign_id = ? and e.flow_version_id = ? and e.workflow_id in (
             select workflow_id from enrollments where campaign_id = ? and sequence = 1 and lead_id = any(?::uuid[]))
           order by e.lead_id`,
          [campaign.id, flowVersion.id, campaign.id, leadIds],
        );
        const cohorts = new Map<string, NurtureMember[]>();
        for (const row of rows)
          cohorts.set(row.workflow_id, [...(cohorts.get(row.workflow_id) ?? []), { enrollmentId: row.id, leadId: row.lead_id, leadTimeZone: row.time_zone }]);
        await Promise.all([...cohorts].map(([workflowId, members]) => startNurture(temporal, campaign, flowVersion, workflowId, members)));
        em.clear();
        cursor = batch[batch.length - 1].lead_id;
        Context.current().heartbeat(cursor);
      }
      const enrolled = await em.count(Enrollment, { campaign: campaign.id });
      logger.info({ msg: 'audience enrolled', campaignId: campaign.id, enrolled });
      return { enrolled };
    },

    async markCampaignRunning(input: { campaignId: string }): Promise<void> {
      await orm.em.fork().nativeUpdate(Campaign, { id: input.campaignId, status: 'launching' }, { status: 'running' });
    },

    /** Answers a branch step's lead conditions for every lead of a cohort at that step: per lead, per condition. */
    async evaluateCohortConditions(input: CohortConditionsInput): Promise<boolean[][]> {
      return leadsMeetConditions(orm.em.fork(), input.leadIds, input.conditions);
    },

    /** Writes the end of each journey (and its path) to its enrollment, in one statement; an ended one is left as it is. */
    async completeEnrollments(input: { enrollments: CompleteEnrollmentInput[] }): Promise<void> {
      const list = input.enrollments;
      if (list.length === 0) return;
      await orm.em.fork().getConnection().execute(
        `update enrollments e set status = x.status, end_reason = x.reason, ended_at = now(), path = x.path
         from unnest(?::uuid[], ?::text[], ?::text[], ?::jsonb[]) as x(id, status, reason, path)
         where e.id = x.id and e.status = 'active'`,
        [
          arrayLiteral(list.map((e) => e.enrollmentId)),
          arrayLiteral(list.map((e) => e.status)),
          arrayLiteral(list.map((e) => e.reason)),
          arrayLiteral(list.map((e) => JSON.stringify(e.path ?? []))),
        ],
      );
    },
  };
};
