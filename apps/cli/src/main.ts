import 'reflect-metadata';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig, ROLES, Role } from '@ce/db';
import { issueApiKey } from '@ce/auth';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  keys:create --role <${ROLES.join('|')}> [--name <name>]   make an API key (shown once)
  migration:create [--name <name>]                             generate a migration from entity changes
  migration:up                                                 apply pending migrations

The database is DATABASE_URL, or the embedded one that \`npm start\` runs
(postgres://postgres:postgres@127.0.0.1:54329/campaign_engine) when it is not set.`;

const EMBEDDED_URL = `postgres://postgres:postgres@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? '54329'}/campaign_engine`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const options = parseOptions(rest);
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  const databaseUrl = process.env.DATABASE_URL || EMBEDDED_URL;
  // New migrations go into the source tree, whichever way this command was built.
  const migrationsDir = command === 'migration:create' ? join(process.cwd(), 'migrations') : undefined;
  const orm = await MikroORM.init(createOrmConfig({ databaseUrl, poolSize: 2, migrationsDir })).catch((error: Error) => {
    throw new Error(`Cannot reach the database (${describeUrl(databaseUrl)}): ${error.message}. Is \`npm start\` running, or DATABASE_URL set?`);
  });
  try {
    switch (command) {
      case 'keys:create': {
        const role = options.role as Role | undefined;
        if (!role || !ROLES.includes(role)) {
          console.error(`--role is required: one of ${ROLES.join(', ')}`);
          return 2;
        }
        const issued = await issueApiKey(orm.em.fork(), options.name ?? `${role} key`, role);
        console.log(`Created ${issued.role} key "${issued.name}" (${issued.id}). It is shown only now:\n\n  ${issued.key}\n`);
        return 0;
      }
      case 'migration:create': {
        const result = await orm.getMigrator().createMigration(undefined, false, false, options.name);
        console.log(result.fileName ? `Wrote migrations/${result.fileName}` : 'No changes: the schema matches the entities.');
        return 0;
      }
      case 'migration:up': {
        const applied = await orm.getMigrator().up();
        console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'Nothing to apply.');
        return 0;
      }
      default:
        console.error(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } finally {
    await orm.close(true);
  }
}

function parseOptions(args: string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!match) continue;
    options[match[1]] = match[2] ?? args[++i] ?? '';
  }
  return options;
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'an invalid DATABASE_URL';
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
