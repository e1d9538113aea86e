import 'reflect-metadata';
import { ConfigError, loadConfig } from '@ce/config';
import { createRootLogger } from '@ce/logging';
import { createApiApp } from './app.factory';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createRootLogger(config.logLevel, 'api');
  const { app, firstAdminKey } = await createApiApp(config, logger);

  if (firstAdminKey) {
    // Printed once, to the terminal only: the key is not stored and is never logged.
    process.stdout.write(
      `\nFirst start: an admin API key was created. Keep it now, it will not be shown again:\n\n  ${firstAdminKey.key}\n\n`,
    );
  }

  try {
    await app.listen({ port: config.port, host: '0.0.0.0' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(`Port ${config.port} is already in use; set PORT to another port.`);
    throw error;
  }
  logger.info({ msg: 'api listening', port: config.port, docs: `${config.publicBaseUrl}/docs` });
}

main().catch((error: Error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(JSON.stringify({ level: 'fatal', service: 'api', msg: 'api failed', err: error.message, stack: error.stack }));
  process.exit(1);
});
