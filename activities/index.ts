import { batchActivityName } from '@ce/flows';
import { BatchAction, perMember, SingleLeadAction } from './action-batch';
import type { ActivityDeps } from './deps';
import { createAdjustScoreActivities } from './adjust-score/adjust-score.activity';
import { createAttributionActivities, createAttributionRefreshActivities, createRefreshRequestActivities } from './attribution/attribution.activities';
import { createChatNotifyActivities } from './chat-notify/chat-notify.activity';
import { createEnrollmentActivities } from './enrollment/enrollment.activities';
import { createHandoffActivities } from './handoff/handoff.activities';
import { createImportActivities } from './imports/import.activities';
import { createNotifySalesActivities } from './notify-sales/notify-sales.activity';
import { createScoringActivities } from './scoring/scoring.activities';
import { createSendEmailActivities } from './send-email/send-email.activity';
import { createUpdateLeadActivities } from './update-lead/update-lead.activity';
import { ACTION_STEP_TYPES } from './step-types';
import { createWebhookActivities } from './webhook/webhook.activity';

export type { ActivityDeps } from './deps';

/** Every activity, built from the dependencies the worker made once. */
export const createActivities = (deps: ActivityDeps) => {
  const activities = createFolderActivities(deps);
  return { ...activities, ...batchActivities(activities) };
};

/** What the step folders' factories make. */
const createFolderActivities = (deps: ActivityDeps) => ({
  ...createEnrollmentActivities(deps),
  ...createSendEmailActivities(deps),
  ...createImportActivities(deps),
  ...createUpdateLeadActivities(deps),
  ...createAdjustScoreActivities(deps),
  ...createNotifySalesActivities(deps),
  ...createWebhookActivities(deps),
  ...createChatNotifyActivities(deps),
  ...createAttributionActivities(deps),
  ...createAttributionRefreshActivities(deps),
  ...createRefreshRequestActivities(deps),
  ...createScoringActivities(deps),
  ...createHandoffActivities(deps),
});

/** The batch activity of every action step type, as the workflow calls it: `<activity>Batch`, or the folder's own. */
export type BatchActivities = Record<`${string}Batch`, BatchAction>;

/**
 * For each registered action step type without a batch activity of its own, its single-lead
 * activity run for every lead of a batch (`perMember`). Throws at start if a step type names
 * an activity no folder provides.
 */
function batchActivities(activities: Record<string, unknown>): BatchActivities {
  const batches: Record<string, BatchAction> = {};
  for (const def of ACTION_STEP_TYPES) {
    const name = batchActivityName(def)!;
    const own = def.batchActivity ? activities[def.batchActivity] : activities[def.activity ?? ''];
    if (typeof own !== 'function') throw new Error(`Step type "${def.type}" names an activity that no factory provides`);
    if (!def.batchActivity) batches[name] = perMember(own as SingleLeadAction);
  }
  return batches;
}

export type Activities = ReturnType<typeof createFolderActivities> & BatchActivities;
