import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionInput, ActionResult } from '@ce/contracts';

/**
 * The ledger of action steps (`step_runs`): one row per (enrollment, step), keyed by
 * `<enrollmentId>:<stepId>`. The unique key, not a check in code, is what makes a step run once:
 * a retried or replayed activity finds the row and does nothing.
 */

type StepRunInput = Pick<ActionInput, 'enrollmentId' | 'stepId' | 'step'>;

/** What a step did, kept on its ledger row; `outcome` is also what the activity returns. */
export type StepOutcome = { outcome: string } & Record<string, unknown>;

export const stepRunKey = (input: Pick<ActionInput, 'enrollmentId' | 'stepId'>): string => `${input.enrollmentId}:${input.stepId}`;

/**
 * Writes the step's ledger row unless it exists. Returns true when this call wrote it. Inside a
 * transaction, a second attempt running at the same time waits on the unique key until the
 * first commits, then finds the row.
 */
export async function claimStepRun(em: EntityManager, input: StepRunInput, outcome: Record<string, unknown>): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `insert into step_runs (id, idempotency_key, enrollment_id, step_id, step_type, outcome)
     values (gen_random_uuid(), ?, ?, ?, ?, ?::jsonb)
     on conflict (idempotency_key) do nothing
     returning id`,
    [stepRunKey(input), input.enrollmentId, input.stepId, input.step.type, JSON.stringify(outcome)],
  );
  return rows.length === 1;
}

/** The outcome recorded for the step, or null when it has not run. */
export async function findStepRun(em: EntityManager, input: StepRunInput): Promise<Record<string, unknown> | null> {
  const rows = await em.execute<{ outcome: Record<string, unknown> }[]>('select outcome from step_runs where idempotency_key = ?', [
    stepRunKey(input),
  ]);
  return rows[0]?.outcome ?? null;
}

/** Replaces the outcome on the step's ledger row. */
export async function recordStepOutcome(em: EntityManager, input: StepRunInput, outcome: Record<string, unknown>): Promise<void> {
  await em.execute('update step_runs set outcome = ?::jsonb where idempotency_key = ?', [JSON.stringify(outcome), stepRunKey(input)]);
}

/**
 * Runs a step whose effect is in the database exactly once: the ledger row and the effect are
 * written in one transaction, so they commit together or not at all. When the row already
 * exists the effect is skipped and the outcome is `already_done`.
 */
export async function runStepOnce(
  em: EntityManager,
  input: StepRunInput,
  effect: (tx: EntityManager) => Promise<StepOutcome>,
): Promise<ActionResult> {
  return em.transactional(async (tx) => {
    if (!(await claimStepRun(tx, input, {}))) return { outcome: 'already_done' };
    const done = await effect(tx);
    await recordStepOutcome(tx, input, done);
    return { outcome: done.outcome };
  });
}
