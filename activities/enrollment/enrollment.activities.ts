import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import {
  CompleteEnrollmentInput,
  ENROLLMENT_BATCH_SIZE,
  NurtureInput,
  TASK_QUEUES,
  workflowIds,
} from '@ce/contracts';
import { Campaign, Enrollment } from '@ce/db';
import type { ActivityDeps } from '../deps';

export const createEnrollmentActivities = ({ orm, temporal, logger }: ActivityDeps) => ({
  /**
   * Enrolls the campaign's audience in batches and starts one nurture workflow per lead.
   * Enrollment rows are unique per (campaign, lead) and workflow ids are built from both,
   * so a resumed or repeated run enrolls and starts nobody twice.
   */
  async enrollAudience(input: { campaignId: string }): Promise<{ enrolled: number }> {
    const em = orm.em.fork();
    const campaign = await em.findOneOrFail(Campaign, input.campaignId, { populate: ['flowVersion'] });
    const flowVersion = campaign.flowVersion;
    if (!flowVersion) throw new Error(`campaign ${campaign.id} has no flow version snapshot`);

    const leadIds = [...new Set(campaign.audience.leadIds)].sort();
    const resumeFrom: number = Context.current().info.heartbeatDetails ?? 0;
    for (let offset = resumeFrom; offset < leadIds.length; offset += ENROLLMENT_BATCH_SIZE) {
      const batch = leadIds.slice(offset, offset + ENROLLMENT_BATCH_SIZE);
      await em.getConnection().execute(
        `insert into enrollments (id, campaign_id, lead_id, flow_version_id, status, workflow_id)
         select gen_random_uuid(), ?, l.id, ?, 'active', 'nurture:' || ? || ':' || l.id
         from leads l where l.id = any(?::uuid[])
         on conflict (campaign_id, lead_id) do nothing`,
        [campaign.id, flowVersion.id, campaign.id, `{${batch.join(',')}}`],
      );
      const enrollments = await em.find(Enrollment, { campaign: campaign.id, lead: { $in: batch } });
      await Promise.all(
        enrollments.map((enrollment) => {
          const workflowInput: NurtureInput = {
            campaignId: campaign.id,
            enrollmentId: enrollment.id,
            leadId: enrollment.lead.id,
            flowVersionId: flowVersion.id,
            flow: flowVersion.definition,
          };
          return temporal.workflow.start('nurture', {
            taskQueue: TASK_QUEUES.campaigns,
            workflowId: workflowIds.nurture(campaign.id, enrollment.lead.id),
            args: [workflowInput],
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          }).catch((error: Error) => {
            // A finished enrollment's workflow may not start again; anything else is a real failure.
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          });
        }),
      );
      em.clear();
      Context.current().heartbeat(offset + batch.length);
    }
    const enrolled = await em.count(Enrollment, { campaign: campaign.id });
    logger.info({ msg: 'audience enrolled', campaignId: campaign.id, enrolled });
    return { enrolled };
  },

  async markCampaignRunning(input: { campaignId: string }): Promise<void> {
    await orm.em.fork().nativeUpdate(Campaign, { id: input.campaignId, status: 'launching' }, { status: 'running' });
  },

  async completeEnrollment(input: CompleteEnrollmentInput): Promise<void> {
    await orm.em.fork().nativeUpdate(
      Enrollment,
      { id: input.enrollmentId, status: 'active' },
      { status: input.status, endReason: input.reason, endedAt: new Date() },
    );
  },
});
