import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { AppConfig } from '@ce/config';
import { TASK_QUEUES } from '@ce/contracts';
import { createOrmConfig } from '@ce/db';
import { batchActivityName } from '@ce/flows';
import { createMailTransport } from '@ce/mail';
import { createActivities } from '@activities/index';
import { startPendingHandoffs, HANDOFF_START_BATCH } from '@activities/handoff/handoff-starter';
import { drainScoreQueueOnce, SCORE_BATCH } from '@activities/scoring/score-updater';
import { WorkerLoop } from '@activities/worker-loop';
import { ACTION_STEP_TYPES } from '@activities/step-types';
import { ensureSchedules } from './schedules';
import { WORKFLOWS_PATH, workflowBundlerOptions } from './workflow-bundle';

/** Activities run at once on the campaigns queue. */
const MAX_CONCURRENT_ACTIVITIES = 20;
/**
 * Email batches run at once per worker. Each sends over `SMTP_POOL_SIZE` lanes; two batches keep
 * the SMTP pool busy while one is starting or finishing.
 */
const EMAIL_BATCHES_AT_ONCE = 4;

export interface CampaignWorker {
  /** The worker of the campaigns queue (workflows and every activity but email sends). */
  campaigns: Worker;
  /** The worker of the email queue (email sends only, held to the overall send rate). */
  email: Worker;
  /**
   * Runs both, and the background loop (the score updater and the hand-off starter), until all
   * have stopped; if one fails, the others are shut down too.
   */
  run(): Promise<void>;
  /** Asks all to stop: running tasks and the background round in hand finish, no new ones start. */
  shutdown(): void;
  /** Closes what the workers' dependencies hold open; call after `run()` settles. */
  close(): Promise<void>;
}

/**
 * Builds the worker process's dependencies once (ORM, pooled mail transport, Temporal client)
 * and the two workers that share them: one for the campaigns queue, one for the email queue.
 */
export async function createCampaignWorker(config: AppConfig, logger: Logger): Promise<CampaignWorker> {
  // An email batch holds one connection (its locks and marks) for all its sends, and its lanes
  // may each need another now and then (a bounce, a rate slot); the rest of the activities need one each.
  const poolSize = MAX_CONCURRENT_ACTIVITIES + EMAIL_BATCHES_AT_ONCE * (1 + config.smtpPoolSize) + 5;
  const orm = await MikroORM.init(createOrmConfig({ databaseUrl: config.databaseUrl, poolSize }));
  const mailer = createMailTransport({
    smtpUrl: config.smtpUrl,
    outboxDir: config.outboxDir,
    pool: true,
    maxConnections: config.smtpPoolSize,
  });
  const clientConnection = await Connection.connect({ address: config.temporal.address });
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const temporal = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  await ensureSchedules(temporal);

  const { email: emailActivities, campaigns: campaignActivities } = splitByQueue(
    createActivities({ orm, mailer, temporal, config, logger }),
  );
  const campaigns = await Worker.create({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUES.campaigns,
    workflowsPath: WORKFLOWS_PATH,
    bundlerOptions: workflowBundlerOptions(),
    activities: campaignActivities,
    maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_ACTIVITIES,
    // A launch starts thousands of journeys whose first tasks arrive on the normal queue, not
    // the sticky one; polling both equally clears them faster (the SDK's default is 0.2).
    nonStickyToStickyPollRatio: 1,
  });
  const email = await Worker.create({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUES.email,
    activities: emailActivities,
    // The overall send rate is held by the batches themselves (slots shared in the database).
    maxConcurrentActivityTaskExecutions: EMAIL_BATCHES_AT_ONCE,
  });
  const workers = [campaigns, email];
  // Scores the leads on the score queue as events arrive, and starts the hand-offs of new MQLs.
  const backgroundLoop = new WorkerLoop(
    [
      { name: 'score updater', round: async () => (await drainScoreQueueOnce(orm)).scored === SCORE_BATCH },
      { name: 'hand-off starter', round: async () => (await startPendingHandoffs(orm, temporal)) === HANDOFF_START_BATCH },
    ],
    logger,
  );

  const shutdown = () => {
    backgroundLoop.stop();
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  return {
    campaigns,
    email,
    shutdown,
    async run() {
      const runs = [...workers.map((worker) => worker.run()), backgroundLoop.run()];
      try {
        await Promise.all(runs);
      } catch (error) {
        shutdown();
        await Promise.allSettled(runs);
        throw error;
      }
    },
    async close() {
      mailer.close();
      await clientConnection.close();
      await nativeConnection.close();
      await orm.close(true);
    },
  };
}

type ActivityMap = ReturnType<typeof createActivities>;

/** Email activities (those of step types on the email queue) apart from all the others. */
function splitByQueue(activities: ActivityMap): { email: Partial<ActivityMap>; campaigns: Partial<ActivityMap> } {
  const onEmailQueue = new Set(
    ACTION_STEP_TYPES.filter((type) => type.queue === 'email').flatMap((type) => [type.activity, batchActivityName(type)]),
  );
  const email: Record<string, unknown> = {};
  const campaigns: Record<string, unknown> = {};
  for (const [name, activity] of Object.entries(activities)) (onEmailQueue.has(name) ? email : campaigns)[name] = activity;
  return { email: email as Partial<ActivityMap>, campaigns: campaigns as Partial<ActivityMap> };
}
