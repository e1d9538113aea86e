import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Client } from '@temporalio/client';
import type { AppConfig } from '@ce/config';
import { engagementSignal, EngagementType } from '@ce/contracts';
import { Message, Touchpoint } from '@ce/db';
import { NotFoundError } from '@ce/errors';
import { ClickToken, OpenToken, verifyToken, verifyUnsubscribeToken } from '@ce/mail';
import { JourneySignals } from '../temporal/journey-signals.service';
import { LeadsService } from '../leads/leads.service';
import { APP_CONFIG } from '../config/config.module';

/**
 * Email engagement arrives here from signed links. A forged or unknown token is a 404, so the
 * click endpoint can never be used as an open redirect.
 */
@Injectable()
export class TrackingService {
  private readonly logger = new Logger(TrackingService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    private readonly leads: LeadsService,
    private readonly journeys: JourneySignals,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Records the click and returns where to send the reader. */
  async click(token: string): Promise<string> {
    const payload = verifyToken<ClickToken>(token, this.config.trackingSecret);
    if (!payload || typeof payload.m !== 'string' || typeof payload.u !== 'string' || !/^https?:\/\//i.test(payload.u))
      throw new NotFoundError('Link');
    await this.record(payload.m, 'click', 'clicked', payload.u);
    return payload.u;
  }

  async open(token: string): Promise<void> {
    const payload = verifyToken<OpenToken>(token, this.config.trackingSecret);
    if (!payload || typeof payload.m !== 'string') throw new NotFoundError('Pixel');
    await this.record(payload.m, 'open', 'opened', null);
  }

  /** The lead a valid unsubscribe link is for, to show on the confirmation page; 404 otherwise. */
  async unsubscribeTarget(token: string): Promise<Message> {
    const payload = verifyUnsubscribeToken(token, this.config.trackingSecret);
    const message = payload ? await this.em.findOne(Message, payload.m, { populate: ['enrollment'] }) : null;
    if (!message) throw new NotFoundError('Link');
    return message;
  }

  /**
   * Unsubscribes the lead from email (a consent change, on the timeline) and tells its running
   * journeys, whose exit rules decide whether they end (by default they do). Repeating it
   * changes nothing.
   */
  async unsubscribe(token: string): Promise<void> {
    const message = await this.unsubscribeTarget(token);
    await this.leads.setConsent(message.lead.id, 'email', { status: 'unsubscribed' }, 'unsubscribe_link');
    await this.journeys.toLead(message.lead.id, { type: 'unsubscribed', occurredAt: new Date().toISOString() });
  }

  private async record(messageId: string, type: 'click' | 'open', engagement: EngagementType, url: string | null) {
    const message = await this.em.findOne(Message, messageId, { populate: ['enrollment'] });
    if (!message) throw new NotFoundError('Link');
    const occurredAt = new Date();
    this.em.create(Touchpoint, {
      lead: message.lead,
      campaign: message.campaign,
      channel: 'email',
      type,
      occurredAt,
      message,
      url,
      properties: { stepId: message.stepId },
    });
    await this.em.flush();
    // The touchpoint is kept whatever happens next; telling the workflow is best effort.
    try {
      await this.temporal.workflow.getHandle(message.enrollment.workflowId).signal(engagementSignal, {
        enrollmentId: message.enrollment.id,
        event: { type: engagement, stepId: message.stepId, occurredAt: occurredAt.toISOString(), ...(url ? { url } : {}) },
      });
    } catch (error) {
      this.logger.warn({ msg: 'engagement not signalled', messageId, reason: (error as Error).name });
    }
  }
}
