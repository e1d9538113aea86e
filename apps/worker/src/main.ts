import 'reflect-metadata';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig } from '@ce/config';
import { createRootLogger } from '@ce/logging';
import { createCampaignWorker } from './worker.factory';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createRootLogger(config.logLevel, 'worker');
  // The SDK's own warnings and errors join the worker's JSON log lines.
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => {
      const line = { msg: message, sdk: true, ...meta };
      if (level === 'ERROR') logger.error(line);
      else logger.warn(line);
    }),
  });

  const worker = await createCampaignWorker(config, logger);
  const running = worker.run();
  logger.info({
    msg: 'worker started',
    taskQueues: [worker.campaigns.options.taskQueue, worker.email.options.taskQueue],
    namespace: config.temporal.namespace,
  });

  // A terminal's Ctrl-C and the launcher's SIGTERM can both arrive; shut down once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ msg: 'worker stopping', signal });
    worker.shutdown();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  try {
    await running;
  } finally {
    await worker.close();
    logger.info({ msg: 'worker stopped' });
  }
}

main().catch((error: Error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(JSON.stringify({ level: 'fatal', service: 'worker', msg: 'worker failed', err: error.message, stack: error.stack }));
  process.exit(1);
});
