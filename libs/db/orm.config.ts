import { join } from 'node:path';
import { defineConfig, Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities';

/** Where migrations live: `migrations/` in the source tree, `dist/migrations/` once built. */
export const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');

export interface OrmSettings {
  databaseUrl: string;
  /** Connections in the pool; the worker and API size this to their concurrency. */
  poolSize?: number;
  debug?: boolean;
  /** Overrides where migrations are read and written (the CLI writes new ones into the source tree). */
  migrationsDir?: string;
}

/** The one ORM configuration, shared by the CLI, the API, the worker and the tests. */
export function createOrmConfig(settings: OrmSettings): Options {
  return defineConfig({
    clientUrl: settings.databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    pool: { min: 0, max: settings.poolSize ?? 10 },
    debug: settings.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    migrations: {
      path: settings.migrationsDir ?? MIGRATIONS_DIR,
      glob: '!(*.d).{js,ts}',
      silent: true,
      transactional: true,
      allOrNothing: true,
      snapshot: true,
      snapshotName: '.snapshot',
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? '_' + name : ''}`,
    },
  });
}
