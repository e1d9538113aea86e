import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startStack, TestStack } from '../support/stack';

/** The Segments API over HTTP: definitions checked in full, static members, previews, roles. */
describe('segments API', () => {
  let stack: TestStack;
  let marketer: string;
  let analyst: string;
  let db: Client;
  const run = randomUUID().slice(0, 8);
  const plan = `plan_${run}`;
  const leads: Record<'hot' | 'warm' | 'cold', string> = { hot: '', warm: '', cold: '' };
  const ours = () => ({ field: 'email', op: 'in', value: Object.keys(leads).map((n) => `${n}-${run}@segments-e2e.test`) });

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    marketer = await stack.key('marketer');
    analyst = await stack.key('analyst');
    db = new Client({ connectionString: stack.config.databaseUrl });
    await db.connect();
    await db.query(`insert into attribute_definitions (id, name, type, options) values ($1, $2, 'enum', $3)`, [
      randomUUID(),
      plan,
      JSON.stringify(['free', 'pro']),
    ]);
    for (const [name, score, value] of [['hot', 90, 'pro'], ['warm', 50, 'pro'], ['cold', 5, 'free']] as const) {
      const created = await stack.call('POST', '/v1/leads', { key: marketer, body: { email: `${name}-${run}@segments-e2e.test` } });
      expect(created.status).toBe(201);
      leads[name] = created.body.id;
      await db.query(`update leads set score = $1, attributes = $2 where id = $3`, [score, JSON.stringify({ [plan]: value }), created.body.id]);
    }
  });

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const create = (body: unknown) => stack.call('POST', '/v1/segments', { key: marketer, body });
  const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

  it('creates a dynamic segment and previews who is in it, best scores first', async () => {
    const definition = { all: [ours(), { attribute: plan, op: 'eq', value: 'pro' }, { field: 'score', op: 'gte', value: 40 }] };
    const created = await create({ name: 'Hot pros', kind: 'dynamic', definition });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Hot pros', kind: 'dynamic', definition });

    const preview = await stack.call('GET', `/v1/segments/${created.body.id}/preview?sample=1`, { key: analyst });
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(2);
    expect(preview.body.sample).toEqual([
      { id: leads.hot, email: `hot-${run}@segments-e2e.test`, firstName: null, lastName: null, score: 90, lifecycleStage: 'subscriber' },
    ]);
    expect((await stack.call('GET', `/v1/segments/${created.body.id}`, { key: analyst })).body.id).toBe(created.body.id);
    const list = await stack.call('GET', '/v1/segments', { key: analyst });
    expect(list.body.map((s: { id: string }) => s.id)).toContain(created.body.id);
  });

  it('refuses an invalid definition with 422 listing every problem under definition.', async () => {
    const response = await create({
      name: 'broken',
      kind: 'dynamic',
      definition: {
        all: [
          { field: 'score', op: 'gte', value: 'high' },
          { any: [{ attribute: 'plna', op: 'eq', value: 'pro' }] },
          { did: { type: 'click', within: 'lately' } },
          { inSegment: randomUUID() },
        ],
      },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('SEGMENT_INVALID');
    expect(paths(response.body)).toEqual([
      'definition.all[0].value',
      'definition.all[1].any[0].attribute',
      'definition.all[2].did.within',
      'definition.all[3].inSegment',
    ]);
    expect(response.body.errors[1].message).toContain(plan);
  });

  it('asks for a definition for dynamic segments, and refuses one for static segments, with 400', async () => {
    expect(paths((await create({ name: 'x', kind: 'dynamic' })).body)).toEqual(['definition']);
    const response = await create({ name: 'x', kind: 'static', definition: ours() });
    expect(response.status).toBe(400);
    expect(paths(response.body)).toEqual(['definition']);
  });

  it('keeps static members idempotently, names missing leads, and refuses members of a dynamic segment', async () => {
    const missing = randomUUID();
    const bad = await create({ name: 'VIPs', kind: 'static', leadIds: [leads.hot, missing] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'leadIds[1]', message: `lead ${missing} does not exist` }]);

    const vips = await create({ name: 'VIPs', kind: 'static', leadIds: [leads.hot] });
    expect(vips.status).toBe(201);
    const members = `/v1/segments/${vips.body.id}/members`;
    expect((await stack.call('POST', members, { key: marketer, body: { leadIds: [leads.cold, leads.hot] } })).body).toEqual({ changed: 1, memberCount: 2 });
    expect((await stack.call('POST', members, { key: marketer, body: { leadIds: [leads.cold] } })).body).toEqual({ changed: 0, memberCount: 2 });
    expect((await stack.call('DELETE', members, { key: marketer, body: { leadIds: [leads.hot, leads.warm] } })).body).toEqual({
      changed: 1,
      memberCount: 1,
    });
    const preview = await stack.call('GET', `/v1/segments/${vips.body.id}/preview`, { key: marketer });
    expect(preview.body.sample.map((l: { id: string }) => l.id)).toEqual([leads.cold]);

    const dynamic = await create({ name: 'd', kind: 'dynamic', definition: ours() });
    const refused = await stack.call('POST', `/v1/segments/${dynamic.body.id}/members`, { key: marketer, body: { leadIds: [leads.hot] } });
    expect(refused.status).toBe(409);
  });

  it('refuses a change that would make segments include each other, naming the cycle', async () => {
    const a = await create({ name: `A ${run}`, kind: 'dynamic', definition: ours() });
    const b = await create({ name: `B ${run}`, kind: 'dynamic', definition: { all: [{ inSegment: a.body.id }, { field: 'score', op: 'gt', value: 10 }] } });
    expect(b.status).toBe(201);
    const response = await stack.call('PATCH', `/v1/segments/${a.body.id}`, { key: marketer, body: { definition: { not: { inSegment: b.body.id } } } });
    expect(response.status).toBe(422);
    expect(response.body.detail).toBe(`The segment would include itself: this segment → "B ${run}" (${b.body.id}) → this segment.`);

    const renamed = await stack.call('PATCH', `/v1/segments/${a.body.id}`, { key: marketer, body: { name: `A2 ${run}` } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe(`A2 ${run}`);
    const preview = await stack.call('GET', `/v1/segments/${b.body.id}/preview`, { key: marketer });
    expect(preview.body.count).toBe(2);
  });

  it('refuses to delete a segment another one uses, then deletes both', async () => {
    const a = await create({ name: 'base', kind: 'dynamic', definition: ours() });
    const b = await create({ name: 'uses base', kind: 'dynamic', definition: { inSegment: a.body.id } });
    const refused = await stack.call('DELETE', `/v1/segments/${a.body.id}`, { key: marketer });
    expect(refused.status).toBe(409);
    expect(refused.body.errors).toEqual([{ path: 'id', message: `is used by segment "uses base" (${b.body.id})` }]);
    expect((await stack.call('DELETE', `/v1/segments/${b.body.id}`, { key: marketer })).status).toBe(204);
    expect((await stack.call('DELETE', `/v1/segments/${a.body.id}`, { key: marketer })).status).toBe(204);
    expect((await stack.call('GET', `/v1/segments/${a.body.id}`, { key: marketer })).status).toBe(404);
  });

  it('previews an unsaved definition, and a hostile one simply matches nobody', async () => {
    const preview = await stack.call('POST', '/v1/segments/preview?sample=0', {
      key: analyst,
      body: { definition: { all: [ours(), { field: 'score', op: 'lt', value: 60 }] } },
    });
    expect(preview.body).toEqual({ count: 2, sample: [] });
    const hostile = await stack.call('POST', '/v1/segments/preview', {
      key: analyst,
      body: { definition: { any: [{ field: 'company', op: 'eq', value: "x'); drop table leads; --" }, { did: { type: "'; --" } }] } },
    });
    expect(hostile.status).toBe(200);
    expect(hostile.body.count).toBe(0);
    expect((await stack.call('GET', `/v1/leads/${leads.hot}`, { key: analyst })).status).toBe(200);
  });

  it('lets analysts read but not write', async () => {
    expect((await stack.call('POST', '/v1/segments', { key: analyst, body: { name: 'x', kind: 'static' } })).status).toBe(403);
    expect((await stack.call('GET', '/v1/segments', { key: analyst })).status).toBe(200);
  });
});
