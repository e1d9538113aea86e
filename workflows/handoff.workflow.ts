import { ActivityFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { handoffDecidedSignal, HandoffInput, HandoffResult } from '@ce/contracts';
import type { Activities } from '@activities/index';

const { assignOwner, missedSla } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const { notifyOwner } = proxyActivities<Activities>({
  // One email or one webhook call (whose receiver gets 10 s): a worker that died mid-send is
  // retried after this.
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

/**
 * A notification that was given up on (a mail server's permanent refusal, a webhook receiver
 * that said no or kept failing) is recorded as failed in the ledger; the hand-off goes on.
 */
async function notify(handoffId: string, repId: string, channel: 'email' | 'webhook' | 'escalation'): Promise<void> {
  try {
    await notifyOwner({ handoffId, repId, channel });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
  }
}

/** How long to wait before routing again when no rep can take the lead. */
export const NO_REP_RETRY = '15 minutes';

/**
 * Hands one new MQL to sales, exactly once (one workflow per move to MQL, `handoff:<id>`):
 * routes it to an owner, notifies the owner by email and by signed webhook, then waits for the
 * owner to accept or reject (recorded by the API, which then signals `handoffDecided`). When the
 * time to answer runs out first (a durable timer), the routing settings say what follows: another
 * rep, notified in turn, or an escalation email, after which it waits for the answer.
 */
export async function handoff(input: HandoffInput): Promise<HandoffResult> {
  let decided = false;
  setHandler(handoffDecidedSignal, () => void (decided = true));
  const owners: string[] = [];
  for (;;) {
    if (decided) return { outcome: 'decided', owners };
    const assignment = await assignOwner({ handoffId: input.handoffId, exclude: owners });
    if (assignment.outcome === 'decided') return { outcome: 'decided', owners };
    if (assignment.outcome === 'no_rep') {
      if (await condition(() => decided, NO_REP_RETRY)) return { outcome: 'decided', owners };
      continue;
    }
    const repId = assignment.repId;
    if (!owners.includes(repId)) owners.push(repId);
    await notify(input.handoffId, repId, 'email');
    await notify(input.handoffId, repId, 'webhook');
    if (await condition(() => decided, assignment.slaMs)) return { outcome: 'decided', owners };

    const { action } = await missedSla({ handoffId: input.handoffId, repId, exclude: owners });
    if (action === 'decided') return { outcome: 'decided', owners };
    if (action === 'escalate') {
      await notify(input.handoffId, repId, 'escalation');
      await condition(() => decided);
      return { outcome: 'escalated', owners };
    }
  }
}
