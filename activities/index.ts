import type { ActivityDeps } from './deps';
import { createAdjustScoreActivities } from './adjust-score/adjust-score.activity';
import { createChatNotifyActivities } from './chat-notify/chat-notify.activity';
import { createEnrollmentActivities } from './enrollment/enrollment.activities';
import { createImportActivities } from './imports/import.activities';
import { createNotifySalesActivities } from './notify-sales/notify-sales.activity';
import { createSendEmailActivities } from './send-email/send-email.activity';
import { createUpdateLeadActivities } from './update-lead/update-lead.activity';
import { createWebhookActivities } from './webhook/webhook.activity';

export type { ActivityDeps } from './deps';

/** Every activity, built from the dependencies the worker made once. */
export const createActivities = (deps: ActivityDeps) => ({
  ...createEnrollmentActivities(deps),
  ...createSendEmailActivities(deps),
  ...createImportActivities(deps),
  ...createUpdateLeadActivities(deps),
  ...createAdjustScoreActivities(deps),
  ...createNotifySalesActivities(deps),
  ...createWebhookActivities(deps),
  ...createChatNotifyActivities(deps),
});

export type Activities = ReturnType<typeof createActivities>;
