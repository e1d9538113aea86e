import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ActionBatchInput, ActionInput, ActionResult, ActionMember, MemberOutcome } from '@ce/contracts';
import { msToNumber } from '@temporalio/common/lib/time';
import { inParallel } from './in-parallel';

/** Leads of a batch whose single-lead activities run at once. */
const MEMBERS_AT_ONCE = 8;

export type SingleLeadAction = (input: ActionInput) => Promise<ActionResult>;
export type BatchAction = (input: ActionBatchInput) => Promise<MemberOutcome[]>;

/**
 * A step type's single-lead activity run for every lead of a batch, a few at once, each lead
 * answered on its own: a lead whose receiver said "not now" does not hold up the others, and
 * one that failed for good ends only its own path. Heartbeats after every lead.
 */
export function perMember(run: SingleLeadAction): BatchAction {
  return async (batch) => {
    const outcomes: MemberOutcome[] = new Array(batch.members.length);
    await inParallel(batch.members, MEMBERS_AT_ONCE, async (member, index) => {
      outcomes[index] = await memberOutcome(member, () =>
        run({
          campaignId: batch.campaignId,
          enrollmentId: member.enrollmentId,
          leadId: member.leadId,
          stepId: batch.stepId,
          step: batch.step,
          ...(member.attempt !== undefined ? { attempt: member.attempt } : {}),
        }),
      );
      Context.current().heartbeat();
    });
    return outcomes;
  };
}

/** One lead's work as an outcome: its result, or what its error says about trying again. */
export async function memberOutcome(member: Pick<ActionMember, 'enrollmentId'>, work: () => Promise<ActionResult>): Promise<MemberOutcome> {
  try {
    const result = await work();
    return { enrollmentId: member.enrollmentId, kind: 'done', outcome: result.outcome };
  } catch (error) {
    return outcomeOfError(member.enrollmentId, error);
  }
}

/** A failure for good (a non-retryable ApplicationFailure) or a "try this lead again later". */
export function outcomeOfError(enrollmentId: string, error: unknown): MemberOutcome {
  if (error instanceof ApplicationFailure && error.nonRetryable)
    return { enrollmentId, kind: 'failed', type: error.type ?? 'Failed', message: error.message };
  const reason = error instanceof Error ? error.message : String(error);
  const failure = error instanceof ApplicationFailure ? error : null;
  return {
    enrollmentId,
    kind: 'retry',
    reason,
    ...(failure?.type ? { type: failure.type } : {}),
    ...(failure?.nextRetryDelay != null ? { retryAfterMs: msToNumber(failure.nextRetryDelay) } : {}),
  };
}
