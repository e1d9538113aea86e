import { Injectable, Logger } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { handoffDecidedSignal, workflowIds } from '@ce/contracts';
import { Handoff, Lead, LeadConsent, LeadEvent, LeadExternalId, LifecycleStage, RejectDisposition } from '@ce/db';
import { ConflictError, ForbiddenError, InputInvalidError } from '@ce/errors';
import { explainLeadScore } from '@activities/scoring/explain-lead';
import { currentScoringModel } from '@activities/scoring/scoring-models';
import type { Caller } from '../common/auth/api-key.guard';
import { toLeadDto } from '../leads/lead.mapper';
import { LeadTimelineService } from '../leads/lead-timeline.service';
import type { HandoffDecisionDto, HandoffDto, QueueDto, QueueQuery, RejectLeadDto, SalesLeadDto } from './dto/handoff.dto';
import { queueSql, QueueRow, queueItem } from './queue.sql';
import { leadForCaller, salesRepOf } from './sales-access';

const TIMELINE_SHOWN = 50;
const OPEN = ['assigned', 'escalated'];

/**
 * What sales do with the leads handed to them: their queue, a lead with its explanation and
 * timeline, and the answer to a hand-off (accept, or reject with a reason). An answer is
 * recorded first, then signalled to the hand-off's workflow, which stops waiting; should the
 * signal not arrive, the workflow finds the answer when its timer runs out.
 */
@Injectable()
export class HandoffsService {
  private readonly logger = new Logger(HandoffsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    private readonly timelines: LeadTimelineService,
  ) {}

  async queue(query: QueueQuery, caller: Caller | null): Promise<QueueDto> {
    const rep = salesRepOf(caller) ?? query.repId?.toLowerCase() ?? null;
    if (!rep) throw new InputInvalidError([{ path: 'repId', message: 'is required: name the rep whose queue to show' }]);
    const limit = query.limit ?? 50;
    const statement = queueSql(rep, { ...query, limit: limit + 1 });
    const rows = await this.em.fork().execute<QueueRow[]>(statement.sql, statement.params);
    const items = rows.slice(0, limit).map(queueItem);
    const last = items[limit - 1];
    return { items, nextAfter: rows.length > limit && last ? `${last.score}_${last.leadId}` : null };
  }

  async lead(leadId: string, caller: Caller | null): Promise<SalesLeadDto> {
    const em = this.em.fork();
    const lead = await leadForCaller(em, leadId, caller);
    const handoff = await em.findOne(Handoff, { lead: lead.id }, { orderBy: { createdAt: 'desc', id: 'desc' } });
    const explanation = (await explainLeadScore(em, lead.id, new Date(), await currentScoringModel(em)))!;
    const timeline = await this.timelines.timeline(lead.id, { limit: TIMELINE_SHOWN });
    const [externalIds, consents] = await Promise.all([em.find(LeadExternalId, { lead: lead.id }), em.find(LeadConsent, { lead: lead.id })]);
    return { ...toLeadDto(lead, externalIds, consents), handoff: handoff ? toHandoffDto(handoff) : null, explanation, timeline: timeline.items };
  }

  /** The owner takes the lead: the hand-off is accepted and an MQL becomes an SQL. */
  accept(leadId: string, caller: Caller | null): Promise<HandoffDecisionDto> {
    return this.decide(leadId, caller, (lead, handoff, em, now) => {
      handoff.status = 'accepted';
      this.move(em, lead, lead.lifecycleStage === 'mql' ? 'sql' : null, now, { cause: 'accepted', handoffId: handoff.id });
      em.create(LeadEvent, { lead, type: 'handoff_accepted', occurredAt: now, data: { handoffId: handoff.id, repId: handoff.repId } });
    });
  }

  /**
   * The owner turns the lead down with a reason: disqualified, or recycled to nurture (back to
   * the lead stage, with no owner; its score does not make it an MQL again for 30 days).
   */
  reject(leadId: string, input: RejectLeadDto, caller: Caller | null): Promise<HandoffDecisionDto> {
    return this.decide(leadId, caller, (lead, handoff, em, now) => {
      const disposition = input.disposition as RejectDisposition;
      Object.assign(handoff, { status: 'rejected', reason: input.reason, disposition });
      this.move(em, lead, disposition === 'disqualify' ? 'disqualified' : 'lead', now, { cause: 'rejected', reason: input.reason, handoffId: handoff.id });
      if (disposition === 'recycle' && lead.ownerId) {
        em.create(LeadEvent, { lead, type: 'owner_changed', occurredAt: now, data: { from: lead.ownerId, to: null, source: 'sales', handoffId: handoff.id } });
        lead.ownerId = null;
      }
      em.create(LeadEvent, { lead, type: 'handoff_rejected', occurredAt: now, data: { handoffId: handoff.id, repId: handoff.repId, reason: input.reason, disposition } });
    });
  }

  private async decide(
    leadId: string,
    caller: Caller | null,
    apply: (lead: Lead, handoff: Handoff, em: EntityManager, now: Date) => void,
  ): Promise<HandoffDecisionDto> {
    const { lead, handoff } = await this.em.fork().transactional(async (tx) => {
      const lead = await leadForCaller(tx, leadId, caller, true);
      const handoff = await tx.findOne(Handoff, { lead: lead.id, status: { $in: OPEN as Handoff['status'][] } }, { orderBy: { createdAt: 'desc' }, lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!handoff) throw new ConflictError('No hand-off of this lead is waiting for an answer.', [{ path: 'id', message: 'has no hand-off waiting for an answer' }]);
      const rep = salesRepOf(caller);
      if (rep !== null && handoff.repId !== rep) throw new ForbiddenError('This hand-off is with another rep.');
      const now = new Date();
      handoff.decidedAt = now;
      apply(lead, handoff, tx, now);
      return { lead, handoff };
    });
    await this.signal(handoff.id);
    return { leadId: lead.id, lifecycleStage: lead.lifecycleStage, handoff: toHandoffDto(handoff) };
  }

  private move(em: EntityManager, lead: Lead, to: LifecycleStage | null, now: Date, cause: Record<string, unknown>): void {
    if (to === null || to === lead.lifecycleStage) return;
    em.create(LeadEvent, { lead, type: 'stage_changed', occurredAt: now, data: { from: lead.lifecycleStage, to, source: 'sales', ...cause } });
    lead.lifecycleStage = to;
  }

  private async signal(handoffId: string): Promise<void> {
    try {
      await this.temporal.workflow.getHandle(workflowIds.handoff(handoffId)).signal(handoffDecidedSignal);
    } catch (error) {
      // The answer is recorded; the workflow finds it when its timer runs out.
      if (!(error instanceof WorkflowNotFoundError)) this.logger.warn({ msg: 'hand-off not signalled', handoffId, reason: (error as Error).name });
    }
  }
}

export function toHandoffDto(h: Handoff): HandoffDto {
  return {
    id: h.id,
    status: h.status,
    repId: h.repId,
    createdAt: h.createdAt,
    assignedAt: h.assignedAt,
    dueAt: h.dueAt,
    decidedAt: h.decidedAt,
    reason: h.reason,
    disposition: h.disposition,
    reassignments: h.reassignments,
  };
}
