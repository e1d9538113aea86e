import { MikroORM } from '@mikro-orm/postgresql';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { AppConfig } from '@ce/config';
import type { FlowStep } from '@ce/flows';
import { createOrmConfig } from '@ce/db';
import { createMailTransport } from '@ce/mail';
import { createSendEmailActivities } from '@activities/send-email/send-email.activity';

/**
 * Runs the `sendEmail` activity itself — claim, consent, rendering, the hand-over protocol,
 * pooled SMTP — for every enrollment of a campaign, `concurrency` at a time, without Temporal:
 * what the send path costs on its own. Uses a new step id, so every send claims a new ledger row.
 */
export async function sendDirectly(config: AppConfig, logger: Logger, campaignId: string, concurrency: number): Promise<number> {
  const orm = await MikroORM.init(createOrmConfig({ databaseUrl: config.databaseUrl, poolSize: 2 * concurrency + 5 }));
  const mailer = createMailTransport({ smtpUrl: config.smtpUrl, outboxDir: config.outboxDir, pool: true, maxConnections: config.smtpPoolSize });
  try {
    const { sendEmail } = createSendEmailActivities({ orm, mailer, config, logger });
    const conn = orm.em.getConnection();
    const [{ step }] = await conn.execute<{ step: FlowStep }[]>(
      `select v.definition -> 'steps' -> (v.definition ->> 'entry') as step
       from campaigns c join flow_versions v on v.id = c.flow_version_id where c.id = ?`,
      [campaignId],
    );
    const enrollments = await conn.execute<{ id: string; lead_id: string }[]>('select id, lead_id from enrollments where campaign_id = ?', [campaignId]);
    const environment = new MockActivityEnvironment({}, { logger: new DefaultLogger('WARN') });
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < enrollments.length) {
          const enrollment = enrollments[next++];
          await environment.run(sendEmail, { campaignId, enrollmentId: enrollment.id, leadId: enrollment.lead_id, stepId: 'again', step });
        }
      }),
    );
    return enrollments.length;
  } finally {
    mailer.close();
    await orm.close(true);
  }
}
