import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ImportLeadsResult, LeadImportHeartbeat, RunLeadImportInput } from '@ce/contracts';
import { ImportTestKit, openImportTestKit } from './import-test-kit';

/** The import activity on real PostgreSQL, in a mock activity context that records heartbeats. */
describe('runLeadImport', () => {
  let kit: ImportTestKit;
  const quiet = new DefaultLogger('ERROR');

  const MAPPING = {
    Email: 'email',
    'First Name': 'firstName',
    Company: 'company',
    Employees: 'attributes.employees',
    Plan: 'attributes.plan',
    Customer: 'attributes.customer',
    Stage: 'lifecycleStage',
    Newsletter: 'consent.email',
  };
  const HEADER = 'Email,First Name,Company,Employees,Plan,Customer,Stage,Newsletter';

  /** Runs the activity as a worker would, with any heartbeat of an earlier attempt. */
  async function run(importId: string, resumeFrom?: LeadImportHeartbeat, onHeartbeat?: (d: LeadImportHeartbeat, env: MockActivityEnvironment) => void) {
    const env = new MockActivityEnvironment(resumeFrom ? { heartbeatDetails: resumeFrom } : {}, { logger: quiet });
    const heartbeats: LeadImportHeartbeat[] = [];
    env.on('heartbeat', (details: LeadImportHeartbeat) => {
      heartbeats.push(details);
      onHeartbeat?.(details, env);
    });
    const runLeadImport = kit.activities.runLeadImport;
    const result = await env.run<[RunLeadImportInput], ImportLeadsResult, typeof runLeadImport>(runLeadImport, { importId });
    return { result, heartbeats };
  }

  const rejections = (importId: string) =>
    kit.sql<{ row_number: number; reason: string; raw: string }>(
      `select row_number, reason, raw from lead_import_rejections where lead_import_id = ? order by row_number`,
      [importId],
    );
  const importRow = async (importId: string) =>
    (await kit.sql<Record<string, unknown>>(`select status, rows_read, imported, updated, unchanged, rejected, error, finished_at from lead_imports where id = ?`, [importId]))[0];
  const lead = async (email: string) =>
    (await kit.sql<Record<string, unknown>>(`select first_name, company, lifecycle_stage, attributes from leads where email = ?`, [email]))[0];
  const counts = (r: ImportLeadsResult) => ({ rowsRead: r.rowsRead, imported: r.imported, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected });

  beforeAll(async () => {
    kit = await openImportTestKit();
    await kit.declare(
      { name: 'employees', type: 'number' },
      { name: 'plan', type: 'enum', options: ['free', 'pro'] },
      { name: 'customer', type: 'boolean' },
    );
  });
  afterAll(() => kit?.close());

  const MIXED_CSV = [
    HEADER,
    'ada@example.com,Ada,Analytical Engines,12,pro,yes,lead,subscribed',
    'not-an-email,Bob,,,,,,',
    'carol@example.com,Carol,,5,platinum,,,',
    'dan@example.com,Dan,,many,,,,',
    'eve@example.com,"Eve"x,,,,,,',
    ',Frank,,,,,,',
    '"grace@example.com","Grace ""Amazing"" Hopper","Navy, US",3,free,NO,MQL,',
    '',
    'heidi@example.com,"Two',
    'lines",,,,,,',
    'ivan@example.com,Iv"an,,,,,,',
    'judy@example.com,Judy',
  ].join('\r\n');

  it('imports the valid rows of a CSV and rejects each bad row with its number, reason and text', async () => {
    const importId = await kit.queue('csv', MAPPING, '\ufeff' + MIXED_CSV + '\r\n');
    const { result, heartbeats } = await run(importId);

    expect(counts(result)).toEqual({ rowsRead: 10, imported: 4, updated: 0, unchanged: 0, rejected: 6 });
    expect(await rejections(importId)).toEqual([
      { row_number: 2, reason: 'email: must be a valid email address', raw: 'not-an-email,Bob,,,,,,' },
      { row_number: 3, reason: 'attributes.plan: must be one of free, pro', raw: 'carol@example.com,Carol,,5,platinum,,,' },
      { row_number: 4, reason: 'attributes.employees: must be a number', raw: 'dan@example.com,Dan,,many,,,,' },
      { row_number: 5, reason: 'csv: text follows a closing quote in column 2 ("First Name")', raw: 'eve@example.com,"Eve"x,,,,,,' },
      { row_number: 6, reason: 'email: is required', raw: ',Frank,,,,,,' },
      { row_number: 9, reason: 'csv: a quote inside an unquoted value in column 2 ("First Name")', raw: 'ivan@example.com,Iv"an,,,,,,' },
    ]);
    expect(await lead('ada@example.com')).toEqual({
      first_name: 'Ada',
      company: 'Analytical Engines',
      lifecycle_stage: 'lead',
      attributes: { employees: 12, plan: 'pro', customer: true },
    });
    expect(await lead('grace@example.com')).toEqual({
      first_name: 'Grace "Amazing" Hopper',
      company: 'Navy, US',
      lifecycle_stage: 'mql',
      attributes: { employees: 3, plan: 'free', customer: false },
    });
    expect((await lead('heidi@example.com')).first_name).toBe('Two\nlines');
    expect((await lead('judy@example.com')).first_name).toBe('Judy');
    const [consent] = await kit.sql(`select c.status, c.source from lead_consents c join leads l on l.id = c.lead_id where l.email = 'ada@example.com'`);
    expect(consent).toEqual({ status: 'subscribed', source: 'import' });

    expect(await importRow(importId)).toMatchObject({ status: 'completed', rows_read: 10, imported: 4, rejected: 6, error: null });
    expect((await importRow(importId)).finished_at).not.toBeNull();
    expect(heartbeats.at(-1)).toEqual({ rowNumber: 10, counts: counts(result) });
    expect(existsSync(join(kit.importDir, `${importId}.csv`))).toBe(false);
  });

  it('changes nothing when the same file is imported again', async () => {
    const importId = await kit.queue('csv', MAPPING, MIXED_CSV);
    const { result } = await run(importId);
    expect(counts(result)).toEqual({ rowsRead: 10, imported: 0, updated: 0, unchanged: 4, rejected: 6 });
  });

  it('merges a lead named twice in one file, counting the second row as the update it is', async () => {
    const importId = await kit.queue(
      'csv',
      MAPPING,
      [HEADER, 'twice@example.com,Tess,,,,,,', 'TWICE@example.com ,,Tess Inc,,,,,', 'other@example.com,Otto,,,,,,', 'twice@example.com,Tess,,,,,,'].join('\n'),
    );
    const { result } = await run(importId);
    expect(counts(result)).toEqual({ rowsRead: 4, imported: 2, updated: 1, unchanged: 1, rejected: 0 });
    expect(await lead('twice@example.com')).toMatchObject({ first_name: 'Tess', company: 'Tess Inc' });
    const [{ count }] = await kit.sql<{ count: string }>(`select count(*) from leads where email = 'twice@example.com'`);
    expect(Number(count)).toBe(1);
  });

  it('reads NDJSON line by line and rejects a line that is not a JSON object', async () => {
    const lines = [
      JSON.stringify({ mail: 'nd1@example.com', first: 'Nadia', size: 40, tier: 'pro' }),
      '{"mail": "nd2@example.com",',
      '[1, 2]',
      '',
      JSON.stringify({ mail: 'nd3@example.com', size: '40' }),
      JSON.stringify({ mail: 'nd4@example.com', first: 'Noor', ignored: true }),
    ];
    const importId = await kit.queue('ndjson', { mail: 'email', first: 'firstName', size: 'attributes.employees', tier: 'attributes.plan' }, lines.join('\n'));
    const { result } = await run(importId);

    expect(counts(result)).toEqual({ rowsRead: 5, imported: 2, updated: 0, unchanged: 0, rejected: 3 });
    const rejected = await rejections(importId);
    expect(rejected.map((r) => r.row_number)).toEqual([2, 3, 4]);
    expect(rejected[0].reason).toMatch(/^json: /);
    expect(rejected[0].raw).toBe('{"mail": "nd2@example.com",');
    expect(rejected[1].reason).toBe('json: each line must be a JSON object');
    expect(rejected[2]).toEqual({ row_number: 4, reason: 'attributes.employees: must be a number', raw: lines[4] });
    expect(await lead('nd1@example.com')).toMatchObject({ first_name: 'Nadia', attributes: { employees: 40, plan: 'pro' } });
  });

  const numbered = (prefix: string, rows: number, bad: (n: number) => boolean = () => false) =>
    [HEADER, ...Array.from({ length: rows }, (_, i) => `${bad(i + 1) ? 'bad' : `${prefix}-${i + 1}@example.com`},Row ${i + 1},,,,,,`)].join('\n');

  it('resumes after the row an earlier attempt heartbeated, continuing its counts', async () => {
    const importId = await kit.queue('csv', MAPPING, numbered('resume', 20, (n) => n === 3 || n === 15));
    const earlier: LeadImportHeartbeat = { rowNumber: 12, counts: { rowsRead: 12, imported: 11, updated: 0, unchanged: 0, rejected: 1 } };
    const { result, heartbeats } = await run(importId, earlier);

    expect(counts(result)).toEqual({ rowsRead: 20, imported: 18, updated: 0, unchanged: 0, rejected: 2 });
    const imported = await kit.sql<{ email: string }>(`select email from leads where email like 'resume-%' order by email`);
    expect(imported.map((r) => r.email)).toEqual([13, 14, 16, 17, 18, 19, 20].map((n) => `resume-${n}@example.com`).sort());
    expect((await rejections(importId)).map((r) => r.row_number)).toEqual([15]);
    expect(heartbeats.at(-1)).toEqual({ rowNumber: 20, counts: counts(result) });
  });

  it('resumes after the last batch recorded on the import when that is further than the heartbeat', async () => {
    const importId = await kit.queue('csv', MAPPING, numbered('recorded', 6));
    await kit.sql(`update lead_imports set rows_read = 4, imported = 4 where id = ?`, [importId]);
    const { result } = await run(importId, { rowNumber: 2, counts: { rowsRead: 2, imported: 2, updated: 0, unchanged: 0, rejected: 0 } });
    expect(counts(result)).toEqual({ rowsRead: 6, imported: 6, updated: 0, unchanged: 0, rejected: 0 });
    const imported = await kit.sql<{ email: string }>(`select email from leads where email like 'recorded-%' order by email`);
    expect(imported.map((r) => r.email)).toEqual(['recorded-5@example.com', 'recorded-6@example.com']);
  });

  it('writes batches of 5,000 rows, and a run interrupted after one batch finishes from its heartbeat', async () => {
    const rows = 12_001;
    const importId = await kit.queue('csv', MAPPING, numbered('bulk', rows));

    const interrupted = run(importId, undefined, (_details, env) => env.cancel());
    await expect(interrupted).rejects.toBeInstanceOf(CancelledFailure);
    const [afterFirst] = await kit.sql<{ count: string }>(`select count(*) from leads where email like 'bulk-%'`);
    expect(Number(afterFirst.count)).toBe(5_000);
    expect(await importRow(importId)).toMatchObject({ status: 'running', rows_read: 5_000, imported: 5_000 });

    const first: LeadImportHeartbeat = { rowNumber: 5_000, counts: { rowsRead: 5_000, imported: 5_000, updated: 0, unchanged: 0, rejected: 0 } };
    const { result, heartbeats } = await run(importId, first);
    // While it skips the rows written before it keeps heartbeating where it resumes from.
    expect([...new Set(heartbeats.map((h) => h.rowNumber))]).toEqual([5_000, 10_000, 12_001]);
    expect(counts(result)).toEqual({ rowsRead: rows, imported: rows, updated: 0, unchanged: 0, rejected: 0 });
    const [all] = await kit.sql<{ count: string }>(`select count(*) from leads where email like 'bulk-%'`);
    expect(Number(all.count)).toBe(rows);
  });

  it('fails for good when the file is missing', async () => {
    const importId = await kit.queue('csv', MAPPING, 'Email\n');
    await kit.sql(`update lead_imports set format = 'ndjson' where id = ?`, [importId]);
    const failure = await run(importId).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ImportFileMissing', nonRetryable: true });
  });

  it('fails for good, naming the column, when the CSV lacks a mapped column; marking it failed removes the file', async () => {
    const importId = await kit.queue('csv', { Email: 'email', 'First Name': 'firstName' }, 'E-mail,First Name\nx@example.com,X\n');
    const failure = await run(importId).catch((error: unknown) => error);
    expect(failure).toMatchObject({ type: 'ImportFileUnreadable', nonRetryable: true });
    expect((failure as Error).message).toBe('the file has no column "Email"; its columns are "E-mail", "First Name"');

    await new MockActivityEnvironment({}, { logger: quiet }).run(kit.activities.failLeadImport, { importId, error: (failure as Error).message });
    expect(await importRow(importId)).toMatchObject({ status: 'failed', error: (failure as Error).message });
    expect(existsSync(join(kit.importDir, `${importId}.csv`))).toBe(false);
  });
});
