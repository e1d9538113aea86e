import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { createOrmConfig, ImportFormat, LeadImport } from '@ce/db';
import { createImportActivities } from '@activities/imports/import.activities';
import { E2E_ENV } from '../../support/e2e-env';
import { createSiblingDatabase } from '../../support/sibling-database';

/**
 * A database of these tests' own (on the test server), so attributes other suites declare —
 * a required one would change what every import must map — cannot reach them; and a folder
 * for uploaded files.
 */
export interface ImportTestKit {
  orm: MikroORM;
  importDir: string;
  activities: ReturnType<typeof createImportActivities>;
  /** Declares lead attributes. */
  declare(...attributes: { name: string; type: string; options?: string[] }[]): Promise<void>;
  /** Opens an import as the API would after the upload: file in place, status queued. */
  queue(format: ImportFormat, mapping: Record<string, string>, content: string): Promise<string>;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openImportTestKit(): Promise<ImportTestKit> {
  const shared = process.env[E2E_ENV.databaseUrl];
  if (!shared) throw new Error('The test global set-up did not run');
  const database = await createSiblingDatabase(shared, 'ce_imports');
  const orm = await MikroORM.init(createOrmConfig({ databaseUrl: database.url, poolSize: 5 }));
  const importDir = await mkdtemp(join(tmpdir(), 'ce-imports-'));
  const activities = createImportActivities({ orm, logger: pino({ level: 'silent' }), config: { importDir } });
  const sql = <T>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);

  return {
    orm,
    importDir,
    activities,
    sql,
    async declare(...attributes) {
      for (const a of attributes) {
        await sql(`insert into attribute_definitions (id, name, type, required, options) values (gen_random_uuid(), ?, ?, false, ?)`, [
          a.name,
          a.type,
          a.options ? JSON.stringify(a.options) : null,
        ]);
      }
    },
    async queue(format, mapping, content) {
      const em = orm.em.fork();
      const job = em.create(LeadImport, { name: 'test import', format, mapping, status: 'queued' });
      await em.flush();
      await writeFile(join(importDir, `${job.id}.${format}`), content);
      return job.id;
    },
    async close() {
      await orm.close(true);
      await rm(importDir, { recursive: true, force: true });
      await database.drop();
    },
  };
}
