import { randomUUID } from 'node:crypto';
import { startStack, TestStack } from '../support/stack';

const DEFAULT_ROUTING = {
  rules: [],
  slaMinutes: 240,
  onSlaBreach: 'reassign',
  maxReassignments: 2,
  escalationEmail: null,
  webhookUrl: null,
  emailSubject: null,
  emailText: null,
};
const NO_REP = '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21';

/**
 * Sales reps, the routing settings and sales keys that belong to a rep, over HTTP on real
 * PostgreSQL: an admin adds and changes reps and replaces the routing settings whole; bad input
 * is refused with every problem named by its path and nothing changed; no other role gets in.
 *
 * Reps made here are inactive unless a test is about the default, so that no hand-off routed
 * meanwhile goes to them; all of them are removed at the end and the routing settings put back
 * to the defaults.
 */
describe('sales reps and routing settings', () => {
  let stack: TestStack;
  const keys = {} as Record<'admin' | 'marketer' | 'sales' | 'analyst' | 'engineer', string>;
  const tag = randomUUID().slice(0, 8);
  const madeKeys: string[] = [];
  let segmentId: string | null = null;
  let leadId: string | null = null;

  const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);
  const messageAt = (body: { errors?: { path: string; message: string }[] }, path: string) => body.errors?.find((e) => e.path === path)?.message;
  const newRep = (body: Record<string, unknown>, key = keys.admin) =>
    stack.call('POST', '/v1/sales/reps', { key, body: { name: `Rep ${tag}`, email: `rep-${tag}-${randomUUID().slice(0, 6)}@example.com`, active: false, ...body } });
  const putRouting = (body: unknown, key = keys.admin) => stack.call('PUT', '/v1/sales/routing', { key, body });
  const getRouting = (key = keys.admin) => stack.call('GET', '/v1/sales/routing', { key });

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    for (const role of ['admin', 'marketer', 'sales', 'analyst', 'engineer'] as const) keys[role] = await stack.key(role);
  });

  afterAll(async () => {
    if (!stack) return;
    await putRouting(DEFAULT_ROUTING);
    for (const id of madeKeys) await stack.call('DELETE', `/v1/api-keys/${id}`, { key: keys.admin });
    if (leadId) await stack.sql('delete from leads where id = ?', [leadId]);
    if (segmentId) await stack.call('DELETE', `/v1/segments/${segmentId}`, { key: keys.marketer });
    await stack.sql('delete from sales_reps where email like ?', [`%-${tag}%@example.com`]);
    await stack.stop();
  });

  it('adds a rep with its email trimmed and lower-cased, active and without a limit by default', async () => {
    const made = await stack.call('POST', '/v1/sales/reps', { key: keys.admin, body: { name: '  Dana Default  ', email: `  Dana-${tag}@Example.COM ` } });
    expect(made.status).toBe(201);
    // Out of routing at once, so that nothing routed meanwhile goes to it.
    expect((await stack.call('PATCH', `/v1/sales/reps/${made.body.id}`, { key: keys.admin, body: { active: false } })).status).toBe(200);
    expect(made.body).toEqual({
      id: expect.any(String),
      name: 'Dana Default',
      email: `dana-${tag}@example.com`,
      active: true,
      capacity: null,
      webhookUrl: null,
      openHandoffs: 0,
      lastAssignedAt: null,
      createdAt: expect.any(String),
    });

    const shown = await stack.call('GET', `/v1/sales/reps/${made.body.id}`, { key: keys.admin });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: made.body.id, email: `dana-${tag}@example.com`, active: false });
  });

  it('lists the reps by name, each with the hand-offs it holds open', async () => {
    const zoe = (await newRep({ name: `Zoe ${tag}`, capacity: 5 })).body;
    const adam = (await newRep({ name: `Adam ${tag}`, webhookUrl: 'https://crm.example.com/hooks/adam' })).body;
    const lead = await stack.call('POST', '/v1/leads', { key: keys.marketer, body: { email: `lead-${tag}@example.com` } });
    expect(lead.status).toBe(201);
    leadId = lead.body.id;
    // Two hand-offs with Zoe, one of them still open; started, so that no worker picks them up.
    for (const status of ['assigned', 'accepted'])
      await stack.sql(
        `insert into handoffs (id, lead_id, stage_event_id, status, rep_id, assigned_at, started_at) values (gen_random_uuid(), ?, gen_random_uuid(), ?, ?, now(), now())`,
        [leadId, status, zoe.id],
      );

    const listed = await stack.call('GET', '/v1/sales/reps', { key: keys.admin });
    expect(listed.status).toBe(200);
    const ours = listed.body.filter((r: { name: string }) => r.name.endsWith(tag));
    expect(ours.map((r: { name: string; openHandoffs: number }) => [r.name, r.openHandoffs])).toEqual([
      [`Adam ${tag}`, 0],
      [`Zoe ${tag}`, 1],
    ]);
    expect(ours[0]).toMatchObject({ id: adam.id, webhookUrl: 'https://crm.example.com/hooks/adam', capacity: null, active: false });
    expect(ours[1]).toMatchObject({ id: zoe.id, capacity: 5 });
    const names: string[] = listed.body.map((r: { name: string }) => r.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('changes only the fields given: capacity null lifts the limit, active false takes the rep out', async () => {
    const rep = (await newRep({ name: `Pat ${tag}`, capacity: 10, webhookUrl: 'http://crm.example.com/pat' })).body;
    const changed = await stack.call('PATCH', `/v1/sales/reps/${rep.id}`, { key: keys.admin, body: { capacity: null, email: ` PAT-${tag}@example.com` } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: `Pat ${tag}`, email: `pat-${tag}@example.com`, capacity: null, webhookUrl: 'http://crm.example.com/pat', active: false });

    const again = await stack.call('PATCH', `/v1/sales/reps/${rep.id}`, { key: keys.admin, body: { active: true, capacity: 3, webhookUrl: null, name: `Pat Two ${tag}` } });
    expect(again.body).toMatchObject({ name: `Pat Two ${tag}`, active: true, capacity: 3, webhookUrl: null });
    const out = await stack.call('PATCH', `/v1/sales/reps/${rep.id}`, { key: keys.admin, body: { active: false } });
    expect(out.body).toMatchObject({ active: false, capacity: 3, email: `pat-${tag}@example.com` });
    const stored = await stack.sql<{ active: boolean; capacity: number | null }>('select active, capacity from sales_reps where id = ?', [rep.id]);
    expect(stored).toEqual([{ active: false, capacity: 3 }]);
  });

  it('refuses bad rep fields, naming each one', async () => {
    const bad = await stack.call('POST', '/v1/sales/reps', {
      key: keys.admin,
      body: { name: '   ', email: 'not-an-email', active: 'yes', capacity: 0, webhookUrl: 'ftp://crm.example.com', team: 'north' },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body).toMatchObject({ status: 400, code: 'INPUT_INVALID', instance: '/v1/sales/reps' });
    expect([...new Set(paths(bad.body))].sort()).toEqual(['active', 'capacity', 'email', 'name', 'team', 'webhookUrl']);

    const missing = await stack.call('POST', '/v1/sales/reps', { key: keys.admin, body: {} });
    expect([...new Set(paths(missing.body))].sort()).toEqual(['email', 'name']);
    for (const capacity of [1.5, 10_001, '5'])
      expect(paths((await newRep({ capacity })).body)).toContain('capacity');
    expect(paths((await newRep({ name: 'x'.repeat(201) })).body)).toEqual(['name']);

    const rep = (await newRep({ name: `Kim ${tag}` })).body;
    const patch = await stack.call('PATCH', `/v1/sales/reps/${rep.id}`, { key: keys.admin, body: { name: null, email: 'kim@', capacity: -1, active: null } });
    expect(patch.status).toBe(400);
    expect([...new Set(paths(patch.body))].sort()).toEqual(['active', 'capacity', 'email', 'name']);
    expect((await stack.call('GET', `/v1/sales/reps/${rep.id}`, { key: keys.admin })).body).toMatchObject({ name: `Kim ${tag}`, capacity: null });

    expect((await stack.call('GET', `/v1/sales/reps/${NO_REP}`, { key: keys.admin })).status).toBe(404);
    expect((await stack.call('PATCH', `/v1/sales/reps/${NO_REP}`, { key: keys.admin, body: { active: true } })).status).toBe(404);
    expect(paths((await stack.call('GET', '/v1/sales/reps/nope', { key: keys.admin })).body)).toEqual(['id']);
  });

  it('keeps reps and routing to admins', async () => {
    const rep = (await newRep({ name: `Lee ${tag}` })).body;
    const calls: [string, string, unknown][] = [
      ['POST', '/v1/sales/reps', { name: 'x', email: 'x@example.com' }],
      ['GET', '/v1/sales/reps', undefined],
      ['GET', `/v1/sales/reps/${rep.id}`, undefined],
      ['PATCH', `/v1/sales/reps/${rep.id}`, { active: true }],
      ['GET', '/v1/sales/routing', undefined],
      ['PUT', '/v1/sales/routing', DEFAULT_ROUTING],
    ];
    for (const [method, path, body] of calls) {
      for (const role of ['marketer', 'sales', 'analyst', 'engineer'] as const) {
        const response = await stack.call(method, path, { key: keys[role], body });
        expect({ route: `${method} ${path} as ${role}`, status: response.status }).toEqual({ route: `${method} ${path} as ${role}`, status: 403 });
      }
      expect((await stack.call(method, path, { body })).status).toBe(401);
    }
    expect((await stack.call('GET', `/v1/sales/reps/${rep.id}`, { key: keys.admin })).body.active).toBe(false);
  });

  it('replaces the routing settings whole and shows them back', async () => {
    const dach = (await newRep({ name: `Dach ${tag}` })).body;
    const key = (await stack.call('GET', '/v1/api-keys', { key: keys.admin })).body.find((k: { prefix: string }) => keys.admin.startsWith(k.prefix));
    const segment = await stack.call('POST', '/v1/segments', { key: keys.marketer, body: { name: `enterprise ${tag}`, kind: 'static' } });
    expect(segment.status).toBe(201);
    segmentId = segment.body.id;

    const rules = [
      { id: 'dach', name: 'Germany and Austria', when: { field: 'country', op: 'in', value: ['DE', 'AT'] }, repIds: [dach.id] },
      { id: 'enterprise_1', name: 'Enterprise', when: { inSegment: segmentId }, repIds: [dach.id] },
    ];
    const put = await putRouting({
      rules,
      slaMinutes: 90,
      onSlaBreach: 'escalate',
      maxReassignments: 0,
      escalationEmail: ` Sales-Lead-${tag}@Example.com `,
      webhookUrl: 'https://crm.example.com/hooks/handoff',
      emailSubject: 'New lead: {{lead.email}}',
      emailText: '{{#if lead.firstName}}{{lead.firstName}}{{else}}Someone{{/if}} is yours.',
    });
    expect(put.status).toBe(200);
    const expected = {
      rules,
      slaMinutes: 90,
      onSlaBreach: 'escalate',
      maxReassignments: 0,
      escalationEmail: `sales-lead-${tag}@example.com`,
      webhookUrl: 'https://crm.example.com/hooks/handoff',
      emailSubject: 'New lead: {{lead.email}}',
      emailText: '{{#if lead.firstName}}{{lead.firstName}}{{else}}Someone{{/if}} is yours.',
      updatedAt: expect.any(String),
      updatedByKeyId: key.id,
    };
    expect(put.body).toEqual(expected);
    expect((await getRouting()).body).toEqual({ ...expected, updatedAt: put.body.updatedAt });

    // Fields left out are null again; an empty list routes to any active rep.
    const plain = await putRouting({ rules: [], slaMinutes: 30, onSlaBreach: 'reassign', maxReassignments: 20 });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ ...DEFAULT_ROUTING, slaMinutes: 30, maxReassignments: 20 });
  });

  it('refuses every kind of bad routing input by its path, and changes nothing', async () => {
    const rep = (await newRep({ name: `Ode ${tag}` })).body;
    const territory = { field: 'country', op: 'in', value: ['DE', 'AT'] };
    expect((await putRouting({ ...DEFAULT_ROUTING, rules: [{ id: 'keep', name: 'Keep', when: territory, repIds: [rep.id] }] })).status).toBe(200);
    const before = (await getRouting()).body;

    const response = await putRouting({
      rules: [
        { id: 'Bad Id', name: 'Bad id', when: territory, repIds: [rep.id] },
        { id: 'twice', name: 'Unknown attribute', when: { attribute: `nope_${tag}`, op: 'eq', value: 'x' }, repIds: [rep.id] },
        { id: 'twice', name: 'Unknown rep', when: { all: [territory, { field: 'planet', op: 'eq', value: 'mars' }] }, repIds: [rep.id, NO_REP] },
        { id: 'segment', name: 'Unknown segment', when: { inSegment: NO_REP }, repIds: ['nope', rep.id, rep.id] },
        { id: 'empty', name: '', repIds: [], colour: 'red' },
      ],
      slaMinutes: 0,
      onSlaBreach: 'escalate',
      maxReassignments: 21,
      webhookUrl: 'ftp://crm.example.com/hook',
      emailSubject: '{{#if lead.firstName}}Hi',
      emailText: '{{shout lead.email}}',
      team: 'north',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 400, code: 'INPUT_INVALID', instance: '/v1/sales/routing' });
    expect([...paths(response.body)].sort()).toEqual(
      [
        'team',
        'rules[0].id',
        'rules[1].when.attribute',
        'rules[2].id',
        'rules[2].when.all[1].field',
        'rules[2].repIds[1]',
        'rules[3].when.inSegment',
        'rules[3].repIds[0]',
        'rules[3].repIds[2]',
        'rules[4].colour',
        'rules[4].name',
        'rules[4].when',
        'rules[4].repIds',
        'slaMinutes',
        'maxReassignments',
        'escalationEmail',
        'webhookUrl',
        'emailSubject',
        'emailText',
      ].sort(),
    );
    expect(messageAt(response.body, 'rules[2].id')).toBe('is already the id of rules[1]');
    expect(messageAt(response.body, 'rules[2].repIds[1]')).toContain('is not a known sales rep');
    expect(messageAt(response.body, 'escalationEmail')).toBe('is required when onSlaBreach is escalate');
    expect(messageAt(response.body, 'emailSubject')).toMatch(/^does not compile: .+/);
    expect(messageAt(response.body, 'emailText')).toContain('shout');

    // One problem at a time, each named.
    const valid = { ...DEFAULT_ROUTING, rules: [{ id: 'keep', name: 'Keep', when: territory, repIds: [rep.id] }] };
    const refusals: [Record<string, unknown>, string][] = [
      [{ slaMinutes: 43_201 }, 'slaMinutes'],
      [{ slaMinutes: 1.5 }, 'slaMinutes'],
      [{ slaMinutes: undefined }, 'slaMinutes'],
      [{ maxReassignments: -1 }, 'maxReassignments'],
      [{ onSlaBreach: 'shrug' }, 'onSlaBreach'],
      [{ onSlaBreach: 'escalate', escalationEmail: null }, 'escalationEmail'],
      [{ escalationEmail: 'lead@' }, 'escalationEmail'],
      [{ webhookUrl: 'not a url' }, 'webhookUrl'],
      [{ webhookUrl: `https://example.com/${'x'.repeat(2048)}` }, 'webhookUrl'],
      [{ emailText: '{{/if}}' }, 'emailText'],
      [{ emailSubject: '' }, 'emailSubject'],
      [{ rules: 'all' }, 'rules'],
      [{ rules: Array.from({ length: 101 }, (_, i) => ({ id: `r${i}`, name: 'r', when: territory, repIds: [rep.id] })) }, 'rules'],
      [{ rules: [{ id: 'x'.repeat(65), name: 'Long id', when: territory, repIds: [rep.id] }] }, 'rules[0].id'],
      [{ rules: [{ id: 'ok', name: 'Not a condition', when: 'DE', repIds: [rep.id] }] }, 'rules[0].when'],
    ];
    for (const [change, path] of refusals) {
      const refused = await putRouting({ ...valid, ...change });
      expect({ change: Object.keys(change), status: refused.status, paths: paths(refused.body) }).toEqual({ change: Object.keys(change), status: 400, paths: [path] });
    }

    expect((await getRouting()).body).toEqual(before);
  });

  it('makes sales keys that belong to a rep, and refuses a rep for other roles', async () => {
    const rep = (await newRep({ name: `Sam ${tag}` })).body;
    const made = await stack.call('POST', '/v1/api-keys', { key: keys.admin, body: { name: `sam ${tag}`, role: 'sales', salesRepId: rep.id.toUpperCase() } });
    expect(made.status).toBe(201);
    madeKeys.push(made.body.id);
    expect(made.body).toMatchObject({ role: 'sales', salesRepId: rep.id, key: expect.any(String) });
    const plain = await stack.call('POST', '/v1/api-keys', { key: keys.admin, body: { name: `nobody ${tag}`, role: 'sales' } });
    expect(plain.status).toBe(201);
    madeKeys.push(plain.body.id);
    expect(plain.body.salesRepId).toBeNull();

    const listed = (await stack.call('GET', '/v1/api-keys', { key: keys.admin })).body as { id: string; salesRepId: string | null }[];
    expect(listed.find((k) => k.id === made.body.id)?.salesRepId).toBe(rep.id);
    expect(listed.find((k) => k.id === plain.body.id)?.salesRepId).toBeNull();
    expect(listed.every((k) => 'salesRepId' in k)).toBe(true);

    for (const body of [
      { name: 'm', role: 'marketer', salesRepId: rep.id },
      { name: 'u', role: 'sales', salesRepId: NO_REP },
      { name: 'b', role: 'sales', salesRepId: 'rep-1' },
    ]) {
      const refused = await stack.call('POST', '/v1/api-keys', { key: keys.admin, body });
      expect({ body, status: refused.status, paths: paths(refused.body) }).toEqual({ body, status: 400, paths: ['salesRepId'] });
    }
    const count = await stack.sql<{ n: number }>(`select count(*)::int as n from api_keys where name in ('m', 'u', 'b') and created_at > now() - interval '1 minute'`);
    expect(count[0].n).toBe(0);
  });
});
