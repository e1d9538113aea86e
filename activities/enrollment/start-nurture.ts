import { Client, WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { NurtureInput, TASK_QUEUES, workflowIds } from '@ce/contracts';
import type { Campaign, FlowVersion } from '@ce/db';

export interface EnrollmentToStart {
  id: string;
  leadId: string;
  leadTimeZone: string | null;
  sequence: number;
}

/**
 * Starts one enrollment's nurture workflow. The workflow id is built from campaign, lead and
 * sequence, so starting the same enrollment twice (a retried batch, a repeated request) is a no-op.
 */
export function startNurture(temporal: Client, campaign: Campaign, flowVersion: FlowVersion, enrollment: EnrollmentToStart): Promise<unknown> {
  const workflowInput: NurtureInput = {
    campaignId: campaign.id,
    enrollmentId: enrollment.id,
    leadId: enrollment.leadId,
    flowVersionId: flowVersion.id,
    flow: flowVersion.definition,
    timeZones: { lead: enrollment.leadTimeZone, campaign: campaign.timeZone },
    paused: campaign.status === 'paused',
  };
  return temporal.workflow
    .start('nurture', {
      taskQueue: TASK_QUEUES.campaigns,
      workflowId: workflowIds.nurture(campaign.id, enrollment.leadId, enrollment.sequence),
      args: [workflowInput],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    })
    .catch((error: Error) => {
      // A finished enrollment's workflow may not start again; anything else is a real failure.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    });
}
