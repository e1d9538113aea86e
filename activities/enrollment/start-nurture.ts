import { Client, WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { NurtureInput, NurtureMember, TASK_QUEUES } from '@ce/contracts';
import type { Campaign, FlowVersion } from '@ce/db';

/**
 * Starts the nurture workflow of a cohort: the enrollments whose rows carry `workflowId`. The id
 * is written on the rows when they are made, so starting the same cohort twice (a retried
 * batch, a repeated request) is a no-op, and a lead is never in two cohorts of one campaign.
 */
export function startNurture(
  temporal: Client,
  campaign: Pick<Campaign, 'id' | 'status' | 'timeZone'>,
  flowVersion: Pick<FlowVersion, 'id' | 'definition'>,
  workflowId: string,
  members: NurtureMember[],
): Promise<unknown> {
  const workflowInput: NurtureInput = {
    campaignId: campaign.id,
    flowVersionId: flowVersion.id,
    flow: flowVersion.definition,
    campaignTimeZone: campaign.timeZone,
    members,
    paused: campaign.status === 'paused',
  };
  return temporal.workflow
    .start('nurture', {
      taskQueue: TASK_QUEUES.campaigns,
      workflowId,
      args: [workflowInput],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    })
    .catch((error: Error) => {
      // A finished cohort's workflow may not start again; anything else is a real failure.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    });
}
