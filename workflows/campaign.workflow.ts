import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  CampaignCommand,
  campaignCommandSignal,
  CampaignLifecycleInput,
  CampaignLifecycleResult,
} from '@ce/contracts';
import type { Activities } from '@activities/index';

/** Enrolling a large audience takes a while; the activity heartbeats its cursor and resumes after a crash. */
const enrollment = proxyActivities<Activities>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * A campaign from launch to end. The campaign's row is the truth (the API changes it, then
 * signals here); this workflow waits for the scheduled start, enrolls the audience, passes
 * pause/resume/cancel on to every running enrollment, checks segment exit rules on a cadence,
 * and ends the campaign at its end date.
 */
export async function campaignLifecycle(input: CampaignLifecycleInput): Promise<CampaignLifecycleResult> {
  const { campaignId } = input;
  const commands: CampaignCommand[] = [];
  setHandler(campaignCommandSignal, (command) => void commands.push(command));

  const handleCommands = async (): Promise<'cancelled' | null> => {
    while (commands.length > 0) {
      const command = commands.shift()!;
      if (command === 'cancel') {
        await bookkeeping.broadcastToEnrollments({ campaignId, signal: 'exit', reason: 'cancelled' });
        return 'cancelled';
      }
      if (command === 'pause' || command === 'resume') await bookkeeping.broadcastToEnrollments({ campaignId, signal: command });
    }
    return null;
  };

  let launched = input.launched === true;
  if (!launched) {
    const clock = await bookkeeping.campaignClock({ campaignId });
    if (clock.status === 'cancelled') return { campaignId, status: 'cancelled', enrolled: 0 };
    // A scheduled launch: wait for the time, or a cancel (or a new time) before it.
    for (let at = clock.scheduledAt; at !== null && at > Date.now(); ) {
      await condition(() => commands.length > 0, at - Date.now());
      if (commands.includes('cancel')) return { campaignId, status: 'cancelled', enrolled: 0 };
      commands.length = 0;
      at = (await bookkeeping.campaignClock({ campaignId })).scheduledAt;
    }
    await bookkeeping.beginLaunch({ campaignId });
    await enrollment.enrollAudience({ campaignId });
    await bookkeeping.markCampaignRunning({ campaignId });
    launched = true;
  }

  for (;;) {
    if ((await handleCommands()) === 'cancelled') return { campaignId, status: 'cancelled', enrolled: await bookkeeping.countEnrollments({ campaignId }) };
    const clock = await bookkeeping.campaignClock({ campaignId });
    if (clock.status === 'cancelled' || clock.status === 'completed')
      return { campaignId, status: clock.status, enrolled: await bookkeeping.countEnrollments({ campaignId }) };
    const now = Date.now();
    if (clock.endsAt !== null && clock.endsAt <= now) {
      await bookkeeping.endCampaign({ campaignId });
      await bookkeeping.broadcastToEnrollments({ campaignId, signal: 'exit', reason: 'campaign_ended' });
      return { campaignId, status: 'completed', enrolled: await bookkeeping.countEnrollments({ campaignId }) };
    }
    const untilEnd = clock.endsAt === null ? Infinity : clock.endsAt - now;
    const untilCheck = clock.hasSegmentExitRules ? input.segmentCheckIntervalMs : Infinity;
    const wait = Math.min(untilEnd, untilCheck);
    const woken = await (wait === Infinity ? condition(() => commands.length > 0).then(() => true) : condition(() => commands.length > 0, wait));
    if (!woken && clock.hasSegmentExitRules && untilCheck <= untilEnd) await bookkeeping.sweepSegmentExits({ campaignId });

    if (commands.length === 0 && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof campaignLifecycle>({ ...input, launched });
    }
  }
}
