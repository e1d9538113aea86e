import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Client } from '@temporalio/client';
import { engagementSignal } from '@ce/contracts';
import type { FlowEvent } from '@ce/flows';
import { Enrollment } from '@ce/db';

/**
 * Tells a lead's running journeys that something happened (a conversion, an unsubscribe); each
 * journey's flow decides what it means (its exit rules, a step waiting for the event). Best
 * effort: the fact itself is already stored; a journey that cannot be reached is logged.
 */
@Injectable()
export class JourneySignals {
  private readonly logger = new Logger(JourneySignals.name);

  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
  ) {}

  async toLead(leadId: string, event: FlowEvent): Promise<void> {
    const active = await this.em.fork().find(Enrollment, { lead: leadId, status: 'active' }, { fields: ['id', 'workflowId'] });
    for (const enrollment of active) {
      await this.temporal.workflow
        .getHandle(enrollment.workflowId)
        .signal(engagementSignal, { enrollmentId: enrollment.id, event })
        .catch((error: Error) => this.logger.warn({ msg: 'journey not signalled', enrollmentId: enrollment.id, event: event.type, reason: error.name }));
    }
  }
}
