import { ApplicationFailure } from '@temporalio/activity';
import { Handoff, Lead, LeadEvent, LeadScore, SalesRep } from '@ce/db';
import type { Contribution } from '@ce/scoring';
import type { ActivityDeps } from '../deps';
import { deliveryFailure, postSignedJson } from '../webhook/webhook-delivery';
import { handoffEmail, handoffVariables } from './handoff-email';
import { claimNotice, markNotice, sendNoticeEmail } from './notices';
import { chooseRep, RoutingRule, routingSettings } from './routing';

/** SMTP replies in the 5xx range are permanent. */
const isPermanent = (error: unknown) => {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

export const HANDOFF_WEBHOOK_FAILURES = { rejected: 'HandoffWebhookRejected', failed: 'HandoffWebhookFailed' };

export type Assignment =
  | { outcome: 'assigned'; repId: string; slaMs: number }
  /** Accepted or rejected already: nothing more to do. */
  | { outcome: 'decided' }
  /** No rep can take it now (none active, all at capacity, or all tried). */
  | { outcome: 'no_rep' };

export type HandoffDeps = Pick<ActivityDeps, 'orm' | 'mailer' | 'logger'> & {
  config: Pick<ActivityDeps['config'], 'mailFrom' | 'publicBaseUrl' | 'webhookSecret' | 'webhookAllowPrivateAddresses'>;
};

export const createHandoffActivities = ({ orm, mailer, config, logger }: HandoffDeps) => ({
  /**
   * Gives the hand-off an owner by the routing rules, leaving out the reps in `exclude`: the
   * lead's owner becomes the rep (an `owner_changed` event), the rep's round-robin turn moves on,
   * and the time to accept starts. Idempotent: a retry after the assignment committed answers
   * the same rep.
   */
  async assignOwner(input: { handoffId: string; exclude: string[] }): Promise<Assignment> {
    return orm.em.fork().transactional(async (tx) => {
      const [handoff] = await tx.execute<{ status: string; rep_id: string | null; lead_id: string; reassignments: number }[]>(
        'select status, rep_id, lead_id, reassignments from handoffs where id = ? for update',
        [input.handoffId],
      );
      if (!handoff) throw ApplicationFailure.nonRetryable('The hand-off no longer exists', 'HandoffMissing');
      if (handoff.status === 'accepted' || handoff.status === 'rejected') return { outcome: 'decided' as const };
      const settings = await routingSettings(tx);
      const slaMs = settings.slaMinutes * 60_000;
      if (handoff.status === 'assigned' && handoff.rep_id && !input.exclude.includes(handoff.rep_id)) return { outcome: 'assigned' as const, repId: handoff.rep_id, slaMs };

      const chosen = await chooseRep(tx, handoff.lead_id, settings.rules as RoutingRule[], input.exclude);
      if (!chosen) return { outcome: 'no_rep' as const };
      const now = new Date();
      await tx.execute(
        `update handoffs set status = 'assigned', rep_id = ?, assigned_at = ?, due_at = ?, reassignments = reassignments + ? where id = ?`,
        [chosen.repId, now, new Date(now.getTime() + slaMs), handoff.rep_id ? 1 : 0, input.handoffId],
      );
      await tx.execute('update sales_reps set last_assigned_at = ? where id = ?', [now, chosen.repId]);
      const [lead] = await tx.execute<{ owner_id: string | null }[]>('select owner_id from leads where id = ? for no key update', [handoff.lead_id]);
      if (lead && lead.owner_id !== chosen.repId) {
        await tx.execute('update leads set owner_id = ?, updated_at = now() where id = ?', [chosen.repId, handoff.lead_id]);
        tx.create(LeadEvent, {
          lead: handoff.lead_id,
          type: 'owner_changed',
          occurredAt: now,
          data: { from: lead.owner_id, to: chosen.repId, source: 'routing', handoffId: input.handoffId, ruleId: chosen.ruleId },
        });
      }
      logger.info({ msg: 'hand-off assigned', handoffId: input.handoffId, repId: chosen.repId, ruleId: chosen.ruleId });
      return { outcome: 'assigned' as const, repId: chosen.repId, slaMs };
    });
  },

  /**
   * Tells the owner (email, or webhook) or the escalation address that a lead is theirs, at most
   * once per hand-off, rep and channel (see notices.ts). A webhook is signed and retried until the
   * receiver takes it (its delivery id is the same every time); none is sent when no URL is set.
   */
  async notifyOwner(input: { handoffId: string; repId: string; channel: 'email' | 'webhook' | 'escalation' }): Promise<{ outcome: string }> {
    const em = orm.em.fork();
    const handoff = await em.findOne(Handoff, input.handoffId, { populate: ['lead'] });
    const rep = await em.findOne(SalesRep, input.repId);
    if (!handoff || !rep) throw ApplicationFailure.nonRetryable('The hand-off or its rep no longer exists', 'HandoffMissing');
    const settings = await routingSettings(em);
    const lead = handoff.lead as Lead;
    const reasons = ((await em.findOne(LeadScore, { lead: lead.id }))?.contributions ?? []) as Contribution[];
    const ids = { handoffId: input.handoffId, repId: input.repId, channel: input.channel };

    if (input.channel === 'webhook') {
      const url = rep.webhookUrl ?? settings.webhookUrl;
      if (!url) return { outcome: 'no_webhook' };
      const notice = await claimNotice(em, input.handoffId, input.repId, 'webhook');
      if (notice.status !== 'sending') return { outcome: 'already_done' };
      const body = JSON.stringify({
        deliveryId: notice.id,
        event: 'lead.handed_off',
        handoffId: handoff.id,
        rep: { id: rep.id, name: rep.name, email: rep.email },
        lead: { id: lead.id, email: lead.email, firstName: lead.firstName, lastName: lead.lastName, company: lead.company, lifecycleStage: lead.lifecycleStage, score: lead.score },
        reasons: reasons.slice(0, 5).map((r) => ({ ruleId: r.ruleId, name: r.name, points: r.points })),
        dueAt: handoff.dueAt?.toISOString() ?? null,
        sentAt: new Date().toISOString(),
      });
      const answer = await postSignedJson({ url, body, deliveryId: notice.id, secret: config.webhookSecret, allowPrivateAddresses: config.webhookAllowPrivateAddresses });
      if (!answer.delivered) {
        logger.warn({ msg: 'hand-off webhook not delivered', reason: answer.reason, retry: answer.retry, ...ids });
        const failure = deliveryFailure(answer, HANDOFF_WEBHOOK_FAILURES);
        if (failure instanceof ApplicationFailure && failure.nonRetryable) await markNotice(em, notice.id, 'failed', answer.reason);
        throw failure;
      }
      await markNotice(em, notice.id, 'sent');
      logger.info({ msg: 'hand-off webhook delivered', ...ids });
      return { outcome: 'sent' };
    }

    const to = input.channel === 'email' ? rep.email : settings.escalationEmail;
    if (!to) return { outcome: 'no_address' };
    const notice = await claimNotice(em, input.handoffId, input.repId, input.channel);
    const variables = handoffVariables(lead, rep, reasons, settings.slaMinutes, config.publicBaseUrl);
    const mail =
      input.channel === 'email'
        ? handoffEmail({ subject: settings.emailSubject, text: settings.emailText }, variables)
        : handoffEmail({ subject: ESCALATION_SUBJECT, text: ESCALATION_TEXT }, variables);
    try {
      const outcome = await sendNoticeEmail(em, mailer, notice, { from: config.mailFrom, to, ...mail });
      logger.info({ msg: 'hand-off email', outcome, ...ids });
      return { outcome };
    } catch (error) {
      if (!isPermanent(error)) throw error;
      await markNotice(em, notice.id, 'failed', 'The mail server refused the notification permanently');
      throw ApplicationFailure.nonRetryable('The mail server refused the notification permanently', 'NotificationRejected');
    }
  },

  /**
   * The owner did not answer in time: recorded on the lead's timeline (`sla_missed`), then the
   * next step by the routing settings: another rep (`reassign`, while the reassignments allowed
   * last and a rep not in `exclude` can take it) or `escalate` (the hand-off stays with the owner
   * and the escalation address hears of it). `decided` when an answer came in the meantime.
   */
  async missedSla(input: { handoffId: string; repId: string; exclude: string[] }): Promise<{ action: 'reassign' | 'escalate' | 'decided' }> {
    return orm.em.fork().transactional(async (tx) => {
      const [handoff] = await tx.execute<{ status: string; rep_id: string | null; lead_id: string; reassignments: number }[]>(
        'select status, rep_id, lead_id, reassignments from handoffs where id = ? for update',
        [input.handoffId],
      );
      if (!handoff || handoff.status === 'accepted' || handoff.status === 'rejected') return { action: 'decided' as const };
      const settings = await routingSettings(tx);
      // Reassigned only while the reassignments allowed last and another rep can take it.
      const reassign =
        settings.onSlaBreach === 'reassign' &&
        handoff.reassignments < settings.maxReassignments &&
        (await chooseRep(tx, handoff.lead_id, settings.rules as RoutingRule[], input.exclude)) !== null;
      if (handoff.status !== 'escalated') {
        tx.create(LeadEvent, {
          lead: handoff.lead_id,
          type: 'sla_missed',
          occurredAt: new Date(),
          data: { handoffId: input.handoffId, repId: input.repId, slaMinutes: settings.slaMinutes, next: reassign ? 'reassign' : 'escalate' },
        });
      }
      if (!reassign) await tx.execute(`update handoffs set status = 'escalated' where id = ?`, [input.handoffId]);
      return { action: reassign ? ('reassign' as const) : ('escalate' as const) };
    });
  },
});

const ESCALATION_SUBJECT = 'Not accepted in time: {{lead.name}}{{#if lead.company}} ({{lead.company}}){{/if}}';
const ESCALATION_TEXT = `{{lead.name}} was handed to {{rep.name}} ({{rep.email}}), who has not accepted or rejected it within {{slaText}}.

Score {{lead.score}}. Why:
{{#each reasons}}- {{this.name}}: {{this.points}}
{{/each}}
Open it: {{leadUrl}}
`;
