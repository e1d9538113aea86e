import { proxyActivities, setHandler } from '@temporalio/workflow';
import { AttributionWorkflowInput, reattributeSignal, refreshAgainSignal } from '@ce/contracts';
import type { Activities } from '@activities/index';

const { attributeConversion } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Attributes one conversion, then again for every `reattribute` signal that came meanwhile (a
 * late touchpoint, new weights), until none is waiting. Started with signal-with-start, so a
 * signal to a conversion that is being attributed right now is never lost: it runs once more.
 */
export async function attributeConversionWorkflow(input: AttributionWorkflowInput): Promise<number> {
  let again = false;
  setHandler(reattributeSignal, () => void (again = true));
  for (let runs = 1; ; runs++) {
    again = false;
    await attributeConversion({ conversionId: input.conversionId });
    // A signal that comes as the workflow closes is delivered first and runs the loop again.
    if (!again) return runs;
  }
}

const refresh = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

/**
 * Recomputes the data-driven models (Markov, Shapley) over all paths, then attributes every
 * conversion again with the new weights. Run by a daily schedule and on demand; a
 * `refreshAgain` signal (new attribution settings) that comes meanwhile makes it run once more.
 */
export async function refreshAttributionModels(): Promise<{ paths: number; conversions: number; passes: number }> {
  let again = false;
  setHandler(refreshAgainSignal, () => void (again = true));
  for (let passes = 1; ; passes++) {
    again = false;
    const weights = await refresh.refreshAttributionWeights();
    const { conversions } = await refresh.reattributeConversions();
    if (!again) return { paths: weights.paths, conversions, passes };
  }
}

const request = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes' },
});

/**
 * What the daily schedule starts. A schedule gives each workflow it starts an id of its own (the
 * scheduled time appended), so the refresh itself is handed to its one id: started, or joined
 * when one is running (on demand, or after a settings change).
 */
export async function dailyAttributionRefresh(): Promise<string> {
  const { workflowId, runId } = await request.requestAttributionRefresh();
  return `${workflowId}/${runId}`;
}
