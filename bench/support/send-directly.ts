import { MikroORM } from '@mikro-orm/postgresql';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { AppConfig } from '@ce/config';
import type { ActionMember, MemberOutcome } from '@ce/contracts';
import type { FlowStep } from '@ce/flows';
import { createOrmConfig } from '@ce/db';
import { createMailTransport } from '@ce/mail';
import { inParallel } from '@activities/in-parallel';
import { createSendEmailActivities } from '@activities/send-email/send-email.activity';

/** Email batches at once, as the worker's email queue runs them. */
const BATCHES_AT_ONCE = 2;

/**
 * Runs the `sendEmails` activity itself — claims, consent, rendering, the hand-over protocol,
 * pooled SMTP — for every enrollment of a campaign, in batches of the cohort size, as many at
 * once as the email worker runs, without Temporal: what the send path costs on its own. Uses a
 * new step id, so every send claims a new ledger row.
 */
export async function sendDirectly(config: AppConfig, logger: Logger, campaignId: string): Promise<number> {
  const orm = await MikroORM.init(createOrmConfig({ databaseUrl: config.databaseUrl, poolSize: BATCHES_AT_ONCE * 2 * config.smtpPoolSize + 5 }));
  const mailer = createMailTransport({ smtpUrl: config.smtpUrl, outboxDir: config.outboxDir, pool: true, maxConnections: config.smtpPoolSize });
  try {
    const { sendEmails } = createSendEmailActivities({ orm, mailer, config, logger });
    const conn = orm.em.getConnection();
    const [{ step }] = await conn.execute<{ step: FlowStep }[]>(
      `select v.definition -> 'steps' -> (v.definition ->> 'entry') as step
       from campaigns c join flow_versions v on v.id = c.flow_version_id where c.id = ?`,
      [campaignId],
    );
    const enrollments = await conn.execute<{ id: string; lead_id: string }[]>('select id, lead_id from enrollments where campaign_id = ?', [campaignId]);
    const batches: ActionMember[][] = [];
    for (let i = 0; i < enrollments.length; i += config.nurtureCohortSize)
      batches.push(enrollments.slice(i, i + config.nurtureCohortSize).map((e) => ({ enrollmentId: e.id, leadId: e.lead_id })));
    const environment = new MockActivityEnvironment({}, { logger: new DefaultLogger('WARN') });
    await inParallel(batches, BATCHES_AT_ONCE, async (members) => {
      const outcomes: MemberOutcome[] = await environment.run(sendEmails, { campaignId, stepId: 'again', step, members });
      const unsent = outcomes.filter((o) => o.kind !== 'done' || o.outcome !== 'sent');
      if (unsent.length > 0) throw new Error(`${unsent.length} messages were not sent: ${JSON.stringify(unsent[0])}`);
    });
    return enrollments.length;
  } finally {
    mailer.close();
    await orm.close(true);
  }
}
