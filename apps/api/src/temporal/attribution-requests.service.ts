import { Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { reattributeSignal, TASK_QUEUES, workflowIds } from '@ce/contracts';
import { inParallel } from '@activities/in-parallel';

const SIGNALS_IN_FLIGHT = 20;

/**
 * Asks for conversions to be attributed (again): one workflow per conversion, started with its
 * signal, so a request that comes while the conversion is being attributed runs it once more.
 * Best effort: a conversion whose request was lost is picked up by the next recompute.
 */
@Injectable()
export class AttributionRequests {
  private readonly logger = new Logger(AttributionRequests.name);

  constructor(private readonly temporal: Client) {}

  async attribute(conversionIds: string[]): Promise<void> {
    // A batch of touchpoints can reach thousands of conversions: a few signals in flight at once.
    await inParallel([...new Set(conversionIds)], SIGNALS_IN_FLIGHT, async (conversionId) => {
      await this.temporal.workflow
        .signalWithStart('attributeConversionWorkflow', {
          taskQueue: TASK_QUEUES.campaigns,
          workflowId: workflowIds.attribution(conversionId),
          args: [{ conversionId }],
          signal: reattributeSignal,
          signalArgs: [],
        })
        .catch((error: Error) => this.logger.warn({ msg: 'attribution not requested', conversionId, reason: error.name }));
    });
  }
}
