/**
 * Lead import throughput. Generates a CSV of 1,000,000 realistic leads (`--rows N`) with one
 * custom attribute (`plan`, an enum) in a temporary folder, then times two ways into the same
 * `leads` table of a fresh, migrated database:
 *
 *   baseline: `psql \copy leads(…) from <file>` of the same rows, ids and JSON already made
 *             (no validation, no upsert, no events): the fastest the server can take them;
 *   engine:   the import activity's own streaming code (runLeadImportJob), called directly
 *             rather than through Temporal: parse, map, validate, upsert by email in batches of
 *             5,000, write a `created` event per lead, record progress after each batch.
 *
 * The table is truncated between the two. Prints rows/s for both, their ratio (target ≥ 0.5)
 * and the engine's peak RSS, then one JSON line. Stops by itself and removes its database and
 * files, also when it fails.
 *
 *   npm run bench:imports [-- --rows 1000000]
 *
 * The server is DATABASE_URL's (BENCH_DATABASE_URL wins if set), by default
 * postgres://postgres@127.0.0.1:5432/postgres; the benchmark makes and drops its own database
 * there. Without `psql` on the PATH the baseline runs the same COPY through pg-copy-streams.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import pino from 'pino';
import { createOrmConfig, LeadImport, runMigrations } from '@ce/db';
import { importFilePath } from '@activities/imports/import-file';
import { runLeadImportJob } from '@activities/imports/lead-import-job';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MAX_ROWS = 20_000_000;

const MAPPING = {
  Email: 'email',
  'First Name': 'firstName',
  'Last Name': 'lastName',
  Company: 'company',
  'Job Title': 'jobTitle',
  Phone: 'phone',
  Country: 'country',
  'Time Zone': 'timeZone',
  Source: 'sourceChannel',
  Stage: 'lifecycleStage',
  Plan: 'attributes.plan',
};
const BASELINE_COLUMNS = [
  'id', 'email', 'first_name', 'last_name', 'company', 'job_title', 'phone', 'country', 'time_zone',
  'source_channel', 'lifecycle_stage', 'attributes', 'created_at', 'updated_at',
];

const FIRST = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Linus', 'Radia', 'Tim'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Torvalds', 'Perlman', "O'Neil"];
const TITLES = ['Head of Marketing', 'CTO', 'Engineer', 'Product Manager', 'Buyer, Procurement', 'Founder', ''];
const PLACES: [country: string, zone: string][] = [
  ['US', 'America/New_York'], ['US', 'America/Los_Angeles'], ['DE', 'Europe/Berlin'], ['GB', 'Europe/London'],
  ['FR', 'Europe/Paris'], ['IN', 'Asia/Kolkata'], ['JP', 'Asia/Tokyo'], ['BR', 'America/Sao_Paulo'],
];
const SOURCES = ['web', 'event', 'referral', 'paid_search', 'partner'];
const STAGES = ['subscriber', 'lead', 'mql', 'sql', 'customer'];
const PLANS = ['free', 'pro', 'enterprise'];

interface Lead {
  email: string;
  first: string;
  last: string;
  company: string;
  title: string;
  phone: string;
  country: string;
  zone: string;
  source: string;
  stage: string;
  plan: string;
}

function leadNumber(i: number): Lead {
  const [country, zone] = PLACES[(i * 7) % PLACES.length];
  return {
    email: `lead.${i}@company${i % 5_000}.example.com`,
    first: FIRST[i % FIRST.length],
    last: LAST[(i * 5) % LAST.length],
    company: i % 10 === 0 ? `Company ${i % 20_000}, Inc.` : `Company ${i % 20_000}`,
    title: TITLES[i % TITLES.length],
    phone: `+1 555 ${String(i % 10_000_000).padStart(7, '0')}`,
    country,
    zone,
    source: SOURCES[i % SOURCES.length],
    stage: STAGES[(i * 3) % STAGES.length],
    plan: PLANS[i % PLANS.length],
  };
}

/** A CSV field, quoted only when it has to be (as spreadsheets write them). */
const field = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** The import file and, with the same rows as `leads` columns, the baseline's COPY file. */
async function generateFiles(rows: number, importCsv: string, baselineCsv: string): Promise<void> {
  const file = createWriteStream(importCsv);
  const copy = createWriteStream(baselineCsv);
  const now = new Date().toISOString();
  await write(file, Object.keys(MAPPING).join(',') + '\n');
  for (let i = 1; i <= rows; i++) {
    const l = leadNumber(i);
    const values = [l.email, l.first, l.last, l.company, l.title, l.phone, l.country, l.zone, l.source, l.stage, l.plan];
    await write(file, values.map(field).join(',') + '\n');
    const columns = [randomUUID(), l.email, l.first, l.last, l.company, l.title || null, l.phone, l.country, l.zone, l.source, l.stage, JSON.stringify({ plan: l.plan }), now, now];
    await write(copy, columns.map((v) => (v === null ? '' : field(v))).join(',') + '\n');
  }
  file.end();
  copy.end();
  await Promise.all([once(file, 'close'), once(copy, 'close')]);
}

async function baselineCopy(databaseUrl: string, file: string): Promise<'psql' | 'pg-copy-streams'> {
  const command = `\\copy leads(${BASELINE_COLUMNS.join(',')}) from '${file}' with (format csv)`;
  const viaPsql = await new Promise<boolean>((resolve, reject) => {
    const psql = spawn('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
    psql.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(false) : reject(error)));
    psql.on('exit', (code) => (code === 0 ? resolve(true) : reject(new Error(`psql exited with ${code}`))));
  });
  if (viaPsql) return 'psql';
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await pipeline(createReadStream(file), client.query(copyFrom(`copy leads(${BASELINE_COLUMNS.join(',')}) from stdin with (format csv)`)));
  } finally {
    await client.end();
  }
  return 'pg-copy-streams';
}

async function main(): Promise<void> {
  const rows = rowsOption();
  const log = (line: string) => console.log(`[import-leads] ${line}`);
  const folder = await mkdtemp(join(tmpdir(), 'ce-bench-import-'));
  const name = `ce_bench_import_${process.pid}_${Date.now().toString(36)}`;
  const databaseUrl = Object.assign(new URL(SERVER_URL), { pathname: `/${name}` }).toString();
  let orm: MikroORM | null = null;
  let created = false;
  try {
    await admin((client) => client.query(`create database ${name}`));
    created = true;
    await runMigrations(databaseUrl);
    orm = await MikroORM.init(createOrmConfig({ databaseUrl, poolSize: 4 }));
    const sql = orm.em.getConnection();
    await sql.execute(`insert into attribute_definitions (id, name, type, required, options) values (gen_random_uuid(), 'plan', 'enum', false, ?)`, [JSON.stringify(PLANS)]);

    const importCsv = join(folder, 'leads.csv');
    const baselineCsv = join(folder, 'leads-copy.csv');
    let started = Date.now();
    await generateFiles(rows, importCsv, baselineCsv);
    log(`generated ${rows} rows in ${seconds(started)} s`);

    started = Date.now();
    const via = await baselineCopy(databaseUrl, baselineCsv);
    const baselineSeconds = (Date.now() - started) / 1000;
    await expectLeads(sql, rows, 'baseline');
    log(`baseline (${via} \\copy): ${baselineSeconds.toFixed(2)} s, ${Math.round(rows / baselineSeconds)} rows/s`);
    await sql.execute('truncate leads cascade');

    const importDir = join(folder, 'imports');
    await mkdir(importDir);
    const em = orm.em.fork();
    const job = em.create(LeadImport, { name: 'benchmark', format: 'csv', mapping: MAPPING, status: 'queued' });
    await em.flush();
    await rename(importCsv, importFilePath(importDir, job.id, 'csv'));
    let peakRss = process.memoryUsage().rss;
    let nextReport = 100_000;
    started = Date.now();
    const result = await runLeadImportJob({ orm, importDir, logger: pino({ level: 'silent' }) }, job.id, {
      onProgress({ rowNumber }) {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (rowNumber >= nextReport) {
          log(`  engine: ${rowNumber} rows after ${seconds(started)} s`);
          nextReport += 100_000;
        }
      },
    });
    const engineSeconds = (Date.now() - started) / 1000;
    if (result.imported !== rows || result.rejected !== 0) throw new Error(`engine imported ${result.imported} and rejected ${result.rejected} of ${rows} rows`);
    await expectLeads(sql, rows, 'engine');
    log(`engine (runLeadImportJob): ${engineSeconds.toFixed(2)} s, ${Math.round(rows / engineSeconds)} rows/s, peak RSS ${mb(peakRss)} MB`);

    const ratio = baselineSeconds / engineSeconds;
    log(`ratio engine / baseline throughput: ${ratio.toFixed(2)} (target ≥ 0.5)`);
    console.log(
      JSON.stringify({
        benchmark: 'import-leads',
        rows,
        baseline: { via, seconds: round(baselineSeconds), rowsPerSecond: Math.round(rows / baselineSeconds) },
        engine: { seconds: round(engineSeconds), rowsPerSecond: Math.round(rows / engineSeconds), peakRssMb: mb(peakRss) },
        ratio: round(ratio),
        target: 0.5,
      }),
    );
  } finally {
    await orm?.close(true);
    if (created) await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    await rm(folder, { recursive: true, force: true });
  }
}

async function expectLeads(sql: ReturnType<MikroORM['em']['getConnection']>, rows: number, what: string): Promise<void> {
  const [{ n }] = await sql.execute<{ n: number }[]>('select count(*)::int as n from leads');
  if (n !== rows) throw new Error(`${what}: expected ${rows} leads, found ${n}`);
}

async function admin(work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

function rowsOption(): number {
  const index = process.argv.indexOf('--rows');
  if (index < 0) return 1_000_000;
  const rows = Number(process.argv[index + 1]);
  if (!Number.isInteger(rows) || rows < 1 || rows > MAX_ROWS) throw new Error(`--rows must be a whole number from 1 to ${MAX_ROWS}`);
  return rows;
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const round = (n: number) => Math.round(n * 100) / 100;

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
