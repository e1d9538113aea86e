import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import { E2E_ENV } from '../support/e2e-env';
import { eventually, startStack, TestStack } from '../support/stack';

/**
 * Lead imports through the public API on real PostgreSQL and a real Temporal dev server: open an
 * import, upload the file as the raw body, watch the workflow finish, download the rejected rows
 * and export the leads.
 */
describe('lead imports over HTTP', () => {
  let stack: TestStack;
  let marketer: string;
  let analyst: string;
  const tag = Date.now().toString(36);
  const seats = `seats_${tag}`;
  const email = (name: string) => `${name}.${tag}@example.com`;

  const upload = (id: string, body: string | Buffer, type = 'text/csv') =>
    fetch(`${stack.baseUrl}/v1/imports/${id}/file`, { method: 'PUT', headers: { authorization: `Bearer ${marketer}`, 'content-type': type }, body });
  const download = (path: string, key: string) => fetch(stack.baseUrl + path, { headers: { authorization: `Bearer ${key}` } });
  const finished = (id: string) =>
    eventually(
      async () => {
        const { body } = await stack.call('GET', `/v1/imports/${id}`, { key: marketer });
        return body.status === 'completed' || body.status === 'failed' ? body : undefined;
      },
      90_000,
      `import ${id} to finish`,
    );

  beforeAll(async () => {
    stack = await startStack();
    marketer = await stack.key('marketer');
    analyst = await stack.key('analyst');
    const db = new Client({ connectionString: process.env[E2E_ENV.databaseUrl] });
    await db.connect();
    await db.query(`insert into attribute_definitions (id, name, type, required) values (gen_random_uuid(), $1, 'number', false)`, [seats]);
    await db.end();
  });

  afterAll(() => stack?.stop());

  it('refuses a mapping that does not fit, naming each bad column', async () => {
    const response = await stack.call('POST', '/v1/imports', {
      key: marketer,
      body: { name: 'bad', format: 'csv', mapping: { Mail: 'email', Plan: 'attributes.no_such_thing', Other: 'email', Shoe: 'shoeSize' } },
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('INPUT_INVALID');
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['mapping.Other', 'mapping.Plan', 'mapping.Shoe']);
  });

  it('imports an uploaded CSV, lists the rejected rows as CSV and exports the imported leads', async () => {
    const created = await stack.call('POST', '/v1/imports', {
      key: marketer,
      body: { name: 'Trade fair', format: 'csv', mapping: { 'E-mail': 'email', Name: 'firstName', Seats: `attributes.${seats}`, Newsletter: 'consent.email' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'awaiting_file', uploadUrl: `/v1/imports/${created.body.id}/file`, rowsRead: 0, imported: 0 });
    const id: string = created.body.id;

    const csv = [
      'E-mail,Name,Seats,Newsletter',
      `${email('ada')},Ada,12,subscribed`,
      `not-an-email,Bob,3,`,
      `${email('grace')},"Hopper, Grace",many,`,
      `${email('alan')},Alan,,unsubscribed`,
    ].join('\n');
    const uploaded = await upload(id, csv, 'text/csv; charset=utf-8');
    expect(uploaded.status).toBe(202);
    expect(await uploaded.json()).toMatchObject({ id, status: 'queued', uploadUrl: null, bytes: Buffer.byteLength(csv) });
    expect((await upload(id, csv)).status).toBe(409);

    expect(await finished(id)).toMatchObject({ status: 'completed', rowsRead: 4, imported: 2, updated: 0, unchanged: 0, rejected: 2, error: null });
    expect((await stack.call('GET', '/v1/imports', { key: marketer })).body.map((i: { id: string }) => i.id)).toContain(id);

    const rejections = await download(`/v1/imports/${id}/rejections`, marketer);
    expect(rejections.status).toBe(200);
    expect(rejections.headers.get('content-type')).toContain('text/csv');
    expect(parse(await rejections.text())).toEqual([
      ['row', 'reason', 'raw'],
      ['2', 'email: must be a valid email address', 'not-an-email,Bob,3,'],
      ['3', `attributes.${seats}: must be a number`, `${email('grace')},"Hopper, Grace",many,`],
    ]);

    const exported = await download('/v1/leads/export', analyst);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="leads.csv"');
    const rows: Record<string, string>[] = parse(await exported.text(), { columns: true });
    const ours = rows.filter((r) => r.email.endsWith(`.${tag}@example.com`)).sort((a, b) => a.email.localeCompare(b.email));
    expect(ours.map((r) => [r.email, r.first_name, r[`attr:${seats}`], r['consent:email']])).toEqual([
      [email('ada'), 'Ada', '12', 'subscribed'],
      [email('alan'), 'Alan', '', 'unsubscribed'],
    ]);
    expect(Object.keys(rows[0]).slice(0, 14)).toEqual([
      'id', 'email', 'first_name', 'last_name', 'company', 'job_title', 'phone', 'country', 'time_zone',
      'source_channel', 'lifecycle_stage', 'score', 'owner_id', 'created_at',
    ]);
  });

  it('exports only the leads the filters and the segment select', async () => {
    const created = await stack.call('POST', '/v1/imports', {
      key: marketer,
      body: { name: 'Filters', format: 'ndjson', mapping: { email: 'email', stage: 'lifecycleStage' } },
    });
    const lines = [{ email: email('sql'), stage: 'sql' }, { email: email('mql'), stage: 'mql' }].map((l) => JSON.stringify(l)).join('\n');
    expect((await upload(created.body.id, lines, 'application/x-ndjson')).status).toBe(202);
    expect(await finished(created.body.id)).toMatchObject({ status: 'completed', imported: 2 });

    const exportedEmails = async (query: string) => {
      const response = await download(`/v1/leads/export?${query}`, marketer);
      expect(response.status).toBe(200);
      return (parse(await response.text(), { columns: true }) as Record<string, string>[]).filter((r) => r.email.endsWith(`.${tag}@example.com`));
    };
    expect((await exportedEmails('lifecycleStage=sql&minScore=0')).map((r) => r.email)).toEqual([email('sql')]);
    expect(await exportedEmails(`createdAfter=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);

    const [mql] = await exportedEmails('lifecycleStage=mql');
    const segment = await stack.call('POST', '/v1/segments', { key: marketer, body: { name: `import ${tag}`, kind: 'static', leadIds: [mql.id] } });
    expect(segment.status).toBe(201);
    expect((await exportedEmails(`segmentId=${segment.body.id}`)).map((r) => r.email)).toEqual([email('mql')]);

    const unknown = await stack.call('GET', '/v1/leads/export?segmentId=00000000-0000-4000-8000-000000000000', { key: analyst });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'segmentId', message: 'segment 00000000-0000-4000-8000-000000000000 does not exist' }]);
    expect((await stack.call('GET', '/v1/leads/export?minScore=many', { key: analyst })).status).toBe(400);
    expect((await stack.call('GET', '/v1/leads/export', { key: await stack.key('sales') })).status).toBe(403);
  });

  it('refuses an empty file and a body that is not the file, keeps the import waiting, and takes over an abandoned upload', async () => {
    const { body } = await stack.call('POST', '/v1/imports', { key: marketer, body: { name: 'empty', format: 'ndjson', mapping: { email: 'email' } } });
    const empty = await upload(body.id, '', 'application/x-ndjson');
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { errors: unknown }).errors).toEqual([{ path: 'body', message: 'the file is empty' }]);
    const wrongType = await upload(body.id, '{"email":"x@example.com"}', 'text/csv');
    expect(wrongType.status).toBe(400);
    expect((await stack.call('GET', `/v1/imports/${body.id}`, { key: marketer })).body).toMatchObject({ status: 'awaiting_file', bytes: 0 });

    // An upload cut off by an API that stopped leaves its claim behind; the next upload takes it over.
    const db = new Client({ connectionString: process.env[E2E_ENV.databaseUrl] });
    await db.connect();
    await db.query(`update lead_imports set file_path = '/nowhere/${body.id}.ndjson.abandoned.part' where id = $1`, [body.id]);
    await db.end();
    expect((await upload(body.id, `{"email":"${email('nd')}"}\n`, 'application/x-ndjson')).status).toBe(202);
    expect(await finished(body.id)).toMatchObject({ status: 'completed', imported: 1 });
  });

  it('streams a file past the 10 MB body limit, which still guards JSON, and fails an import that lacks its email column', async () => {
    const { body } = await stack.call('POST', '/v1/imports', { key: marketer, body: { name: 'big', format: 'csv', mapping: { Email: 'email' } } });
    const line = 'someone@example.com,' + 'x'.repeat(80) + '\n';
    const big = Buffer.from('Mail,Notes\n' + line.repeat(Math.ceil((11 * 1024 * 1024) / line.length)));
    const uploaded = await upload(body.id, big, 'application/octet-stream');
    expect(uploaded.status).toBe(202);
    expect(((await uploaded.json()) as { bytes: number }).bytes).toBe(big.length);

    const failed = await finished(body.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('the file has no column "Email"; its columns are "Mail", "Notes"');

    const tooLarge = await fetch(`${stack.baseUrl}/v1/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${marketer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(11 * 1024 * 1024), format: 'csv', mapping: { Email: 'email' } }),
    });
    expect(tooLarge.status).toBe(413);
    // Only the upload route takes raw files; others refuse the type as before.
    const csvElsewhere = await fetch(`${stack.baseUrl}/v1/imports`, { method: 'POST', headers: { authorization: `Bearer ${marketer}`, 'content-type': 'text/csv' }, body: 'a,b\n' });
    expect(csvElsewhere.status).toBe(415);
    expect(csvElsewhere.headers.get('content-type')).toContain('application/problem+json');
  });
});
