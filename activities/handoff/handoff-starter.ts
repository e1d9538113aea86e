import type { MikroORM } from '@mikro-orm/postgresql';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { HandoffInput, TASK_QUEUES, workflowIds } from '@ce/contracts';

/** Hand-offs started per round. */
export const HANDOFF_START_BATCH = 100;

/**
 * Starts the `handoff` workflow of each hand-off not started yet (the trigger makes the row when
 * the lead becomes an MQL, in that transaction), oldest first, and marks it started. The
 * workflow id is made from the hand-off's, so a row started twice (a crash between the start and
 * the mark) still has one workflow. Rows other workers hold are skipped. Gives how many it took.
 */
export async function startPendingHandoffs(orm: MikroORM, temporal: Client, limit = HANDOFF_START_BATCH): Promise<number> {
  return orm.em.fork().transactional(async (tx) => {
    const rows = await tx.execute<{ id: string }[]>(
      'select id from handoffs where started_at is null order by created_at, id limit ? for update skip locked',
      [limit],
    );
    for (const { id } of rows) {
      const input: HandoffInput = { handoffId: id };
      try {
        await temporal.workflow.start('handoff', { taskQueue: TASK_QUEUES.campaigns, workflowId: workflowIds.handoff(id), args: [input] });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    }
    if (rows.length > 0) await tx.execute('update handoffs set started_at = now() where id = any(?::uuid[])', [`{${rows.map((r) => r.id).join(',')}}`]);
    return rows.length;
  });
}
