import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Lead, LeadEvent, LIFECYCLE_STAGES, LifecycleStage, RejectDisposition } from '@ce/db';
import { ConflictError, InputInvalidError, NotFoundError } from '@ce/errors';
import { parseMoney } from '@ce/money';
import { ConversionsService } from '../conversions/conversions.service';
import type { Caller } from '../common/auth/api-key.guard';
import { leadForCaller } from '../handoffs/sales-access';
import { DealWonDto, LoseDealDto, OpenOpportunityDto, StageOutcomeDto, WinDealDto } from './dto/deal.dto';

/** The funnel's order (the stages' own); disqualified stands outside it and counts as before every stage. */
const FUNNEL: readonly LifecycleStage[] = LIFECYCLE_STAGES.filter((stage) => stage !== 'disqualified');
const rank = (stage: LifecycleStage) => FUNNEL.indexOf(stage);

/** The conversion's external id for a deal, so that a deal is won once. */
export const dealConversionId = (dealId: string) => `deal:${dealId}`;

/**
 * What sales report about deals: an opportunity opened, a deal won. Each moves the lead forward
 * through the lifecycle (never back) and records the move with its time and cause; a won deal
 * is also a conversion, attributed like any other.
 */
@Injectable()
export class DealsService {
  constructor(
    private readonly em: EntityManager,
    private readonly conversions: ConversionsService,
  ) {}

  async openOpportunity(leadId: string, input: OpenOpportunityDto, caller: Caller | null = null): Promise<StageOutcomeDto> {
    await leadForCaller(this.em.fork(), leadId, caller);
    const at = input.occurredAt ? new Date(input.occurredAt) : new Date();
    return this.advance(leadId, 'opportunity', at, { cause: 'opportunity_opened', dealId: input.dealId });
  }

  async win(leadId: string, input: WinDealDto, caller: Caller | null = null): Promise<DealWonDto> {
    const at = input.occurredAt ? new Date(input.occurredAt) : new Date();
    const lead = await leadForCaller(this.em.fork(), leadId, caller);
    if (!parseMoney(input.amount, input.currency))
      throw new InputInvalidError([{ path: 'amount', message: `has more decimals than ${input.currency} allows` }]);
    const conversion = await this.conversions.create({
      leadId: lead.id,
      type: input.type ?? 'deal_won',
      value: input.amount,
      currency: input.currency,
      occurredAt: at.toISOString(),
      externalId: dealConversionId(input.dealId),
    });
    if (conversion.leadId !== lead.id)
      throw new ConflictError(`Deal ${input.dealId} was already won for another lead.`, [{ path: 'dealId', message: 'was already won for another lead' }]);
    const outcome = await this.advance(lead.id, 'customer', at, { cause: 'deal_won', dealId: input.dealId, conversionId: conversion.id });
    return { ...outcome, conversion };
  }

  /**
   * A deal lost: recorded on the lead's timeline (`deal_lost`, with the deal and the reason).
   * A lead at SQL or opportunity goes back to nurture (the lead stage, with no owner) or is
   * disqualified; a customer (won before) or a lead not yet with sales stays where it is.
   */
  async lose(leadId: string, input: LoseDealDto, caller: Caller | null = null): Promise<StageOutcomeDto> {
    const at = input.occurredAt ? new Date(input.occurredAt) : new Date();
    const disposition = (input.disposition ?? 'recycle') as RejectDisposition;
    return this.em.fork().transactional(async (em) => {
      const lead = await leadForCaller(em, leadId, caller, true);
      const from = lead.lifecycleStage;
      em.create(LeadEvent, { lead, type: 'deal_lost', occurredAt: at, data: { dealId: input.dealId, reason: input.reason, disposition, source: 'sales' } });
      if (from !== 'sql' && from !== 'opportunity') return { leadId: lead.id, lifecycleStage: from, stageChanged: false };
      const to: LifecycleStage = disposition === 'disqualify' ? 'disqualified' : 'lead';
      em.create(LeadEvent, { lead, type: 'stage_changed', occurredAt: at, data: { from, to, source: 'sales', cause: 'deal_lost', dealId: input.dealId } });
      lead.lifecycleStage = to;
      if (to === 'lead' && lead.ownerId) {
        em.create(LeadEvent, { lead, type: 'owner_changed', occurredAt: at, data: { from: lead.ownerId, to: null, source: 'sales', dealId: input.dealId } });
        lead.ownerId = null;
      }
      return { leadId: lead.id, lifecycleStage: to, stageChanged: true };
    });
  }

  /**
   * Moves the lead to `stage` when it is at an earlier stage (or disqualified), with a
   * `stage_changed` event at `at`, under a lock on the lead's row so that two calls cannot both
   * move it.
   */
  private advance(leadId: string, stage: LifecycleStage, at: Date, cause: Record<string, unknown>): Promise<StageOutcomeDto> {
    return this.em.transactional(async (em) => {
      const lead = await em.findOne(Lead, leadId.toLowerCase(), { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!lead) throw new NotFoundError('Lead', leadId);
      const from = lead.lifecycleStage;
      if (rank(from) >= rank(stage)) return { leadId: lead.id, lifecycleStage: from, stageChanged: false };
      lead.lifecycleStage = stage;
      em.create(LeadEvent, { lead, type: 'stage_changed', occurredAt: at, data: { from, to: stage, source: 'sales', ...cause } });
      return { leadId: lead.id, lifecycleStage: stage, stageChanged: true };
    });
  }
}
