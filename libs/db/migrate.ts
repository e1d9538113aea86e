import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from './orm.config';

/** Brings the database schema up to date. Safe to run on every start. */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const orm = await MikroORM.init(createOrmConfig({ databaseUrl, poolSize: 2 }));
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
