import type { StepTypeDefinition } from '@ce/flows';
import { adjustScoreStep } from './adjust-score/adjust-score.step';
import { chatNotifyStep } from './chat-notify/chat-notify.step';
import { notifySalesStep } from './notify-sales/notify-sales.step';
import { sendEmailStep } from './send-email/send-email.step';
import { updateLeadStep } from './update-lead/update-lead.step';
import { webhookStep } from './webhook/webhook.step';

/**
 * Every action step type, registered once. Pure definitions only (no I/O), so the API's
 * validator, the dry run and the workflow's interpreter can all read this list. A new step
 * type is one line here and its activity factory in index.ts (see docs/adding-a-step-type.md).
 */
export const ACTION_STEP_TYPES: StepTypeDefinition[] = [
  sendEmailStep,
  updateLeadStep,
  adjustScoreStep,
  notifySalesStep,
  webhookStep,
  chatNotifyStep,
];
