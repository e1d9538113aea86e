import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { AppConfig } from '@ce/config';
import { TASK_QUEUES } from '@ce/contracts';
import { createOrmConfig } from '@ce/db';
import { createMailTransport } from '@ce/mail';
import { createActivities } from '@activities/index';
import { WORKFLOWS_PATH, workflowBundlerOptions } from './workflow-bundle';

/** Activities run at once per worker; the database pool is sized to match. */
const MAX_CONCURRENT_ACTIVITIES = 20;

export interface CampaignWorker {
  worker: Worker;
  /** Closes what the worker's dependencies hold open; call after `worker.run()` resolves. */
  close(): Promise<void>;
}

/**
 * Builds the worker's dependencies once (ORM, mail transport, Temporal client) and the worker
 * that runs every workflow and activity on the campaigns task queue.
 */
export async function createCampaignWorker(config: AppConfig, logger: Logger): Promise<CampaignWorker> {
  const orm = await MikroORM.init(createOrmConfig({ databaseUrl: config.databaseUrl, poolSize: MAX_CONCURRENT_ACTIVITIES + 5 }));
  const mailer = createMailTransport({ smtpUrl: config.smtpUrl, outboxDir: config.outboxDir, pool: true });
  const clientConnection = await Connection.connect({ address: config.temporal.address });
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const temporal = new Client({ connection: clientConnection, namespace: config.temporal.namespace });

  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUES.campaigns,
    workflowsPath: WORKFLOWS_PATH,
    bundlerOptions: workflowBundlerOptions(),
    activities: createActivities({ orm, mailer, temporal, config, logger }),
    // Each running activity holds at most one database connection.
    maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_ACTIVITIES,
  });

  return {
    worker,
    async close() {
      mailer.close();
      await clientConnection.close();
      await nativeConnection.close();
      await orm.close(true);
    },
  };
}
