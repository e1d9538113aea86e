import { startStack, TestStack } from '../support/stack';

/** Custom lead attributes: declared through the API, then every lead write is checked against them. */
describe('attribute definitions over HTTP', () => {
  let stack: TestStack;
  let key: string;
  const tag = `a${Date.now().toString(36)}`;
  const name = (base: string) => `${base}_${tag}`;
  const created = new Map<string, string>();
  let counter = 0;
  const email = () => `attr-${tag}-${++counter}@example.com`;

  const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path).sort();

  async function declare(body: Record<string, unknown>) {
    const response = await stack.call('POST', '/v1/attribute-definitions', { key, body });
    if (response.status === 201) created.set(response.body.name, response.body.id);
    return response;
  }

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    key = await stack.key('marketer');
    for (const body of [
      { name: name('industry'), type: 'string', label: 'Industry' },
      { name: name('seats'), type: 'number' },
      { name: name('trial'), type: 'boolean' },
      { name: name('renews_on'), type: 'date' },
      { name: name('plan'), type: 'enum', options: ['free', 'pro', 'pro'] },
    ])
      expect((await declare(body)).status).toBe(201);
  });

  afterAll(async () => {
    if (!stack) return;
    await stack.sql('delete from leads where email like ?', [`%${tag}%`]);
    for (const id of created.values()) await stack.call('DELETE', `/v1/attribute-definitions/${id}`, { key });
    await stack.stop();
  });

  it('declares attributes of every type and lists them by name', async () => {
    const response = await stack.call('GET', '/v1/attribute-definitions', { key });
    expect(response.status).toBe(200);
    const mine = response.body.filter((d: { name: string }) => d.name.endsWith(tag));
    expect(mine).toEqual(
      [
        { name: name('industry'), label: 'Industry', type: 'string', required: false, options: null },
        { name: name('plan'), label: null, type: 'enum', required: false, options: ['free', 'pro'] },
        { name: name('renews_on'), label: null, type: 'date', required: false, options: null },
        { name: name('seats'), label: null, type: 'number', required: false, options: null },
        { name: name('trial'), label: null, type: 'boolean', required: false, options: null },
      ].map((d) => ({ ...d, id: created.get(d.name), createdAt: expect.any(String) })),
    );
  });

  it('refuses a second attribute with a taken name as 409 naming name', async () => {
    const response = await declare({ name: name('seats'), type: 'string' });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('CONFLICT');
    expect(paths(response.body)).toEqual(['name']);
  });

  it('needs options for an enum, and only for an enum', async () => {
    const withoutOptions = await declare({ name: name('tier'), type: 'enum' });
    expect(withoutOptions.status).toBe(400);
    expect(paths(withoutOptions.body)).toEqual(['options']);
    const emptyOptions = await declare({ name: name('tier'), type: 'enum', options: [] });
    expect(paths(emptyOptions.body)).toEqual(['options']);
    const stringWithOptions = await declare({ name: name('colour'), type: 'string', options: ['red'] });
    expect(stringWithOptions.status).toBe(400);
    expect(paths(stringWithOptions.body)).toEqual(['options']);
  });

  it('names every bad field of a declaration', async () => {
    const response = await declare({ name: 'Plan Name', type: 'json', required: 'yes', label: '', colour: 'red' });
    expect(response.status).toBe(400);
    expect(paths(response.body)).toEqual(['colour', 'label', 'name', 'required', 'type']);
  });

  it('adds enum options with PATCH, after which leads may use them', async () => {
    const id = created.get(name('plan'))!;
    const before = await stack.call('POST', '/v1/leads', { key, body: { email: email(), attributes: { [name('plan')]: 'enterprise' } } });
    expect(before.status).toBe(400);
    expect(paths(before.body)).toEqual([`attributes.${name('plan')}`]);

    const response = await stack.call('PATCH', `/v1/attribute-definitions/${id}`, { key, body: { addOptions: ['enterprise', 'pro'], label: 'Plan' } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, label: 'Plan', options: ['free', 'pro', 'enterprise'] });

    const after = await stack.call('POST', '/v1/leads', { key, body: { email: email(), attributes: { [name('plan')]: 'enterprise' } } });
    expect(after.status).toBe(201);
    expect(after.body.attributes).toEqual({ [name('plan')]: 'enterprise' });
  });

  it('adds options only to enums, and answers 404 for an unknown attribute', async () => {
    const onString = await stack.call('PATCH', `/v1/attribute-definitions/${created.get(name('industry'))}`, { key, body: { addOptions: ['x'] } });
    expect(onString.status).toBe(400);
    expect(paths(onString.body)).toEqual(['addOptions']);
    const unknown = await stack.call('PATCH', '/v1/attribute-definitions/0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21', { key, body: { label: 'x' } });
    expect(unknown.status).toBe(404);
  });

  it('stores a lead\'s attribute values of every declared type, dates as ISO date-times', async () => {
    const response = await stack.call('POST', '/v1/leads', {
      key,
      body: {
        email: email(),
        attributes: { [name('industry')]: 'Aerospace', [name('seats')]: 40, [name('trial')]: true, [name('renews_on')]: '2027-03-01T09:00:00+01:00', [name('plan')]: 'pro' },
      },
    });
    expect(response.status).toBe(201);
    expect((await stack.call('GET', `/v1/leads/${response.body.id}`, { key })).body.attributes).toEqual({
      [name('industry')]: 'Aerospace',
      [name('seats')]: 40,
      [name('trial')]: true,
      [name('renews_on')]: '2027-03-01T08:00:00.000Z',
      [name('plan')]: 'pro',
    });
  });

  it('refuses a lead with an undeclared attribute or values of the wrong type, naming each', async () => {
    const undeclared = await stack.call('POST', '/v1/leads', { key, body: { email: email(), attributes: { [name('favourite_colour')]: 'teal' } } });
    expect(undeclared.status).toBe(400);
    expect(undeclared.body.errors).toEqual([
      { path: `attributes.${name('favourite_colour')}`, message: 'is not a declared attribute; declare it first (POST /v1/attribute-definitions)' },
    ]);

    const wrong = await stack.call('POST', '/v1/leads', {
      key,
      body: {
        email: email(),
        attributes: { [name('industry')]: 7, [name('seats')]: '40', [name('trial')]: 'yes', [name('renews_on')]: 'next spring', [name('plan')]: 'gold' },
      },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual(
      expect.arrayContaining([
        { path: `attributes.${name('industry')}`, message: 'must be text of at most 10000 characters' },
        { path: `attributes.${name('seats')}`, message: 'must be a number' },
        { path: `attributes.${name('trial')}`, message: 'must be true or false' },
        { path: `attributes.${name('renews_on')}`, message: 'must be an ISO 8601 date (2027-06-01) or date-time with an offset (2027-06-01T10:00:00Z)' },
        { path: `attributes.${name('plan')}`, message: 'must be one of free, pro, enterprise' },
      ]),
    );
    expect(wrong.body.errors).toHaveLength(5);

    const lead = await stack.call('POST', '/v1/leads', { key, body: { email: email() } });
    const patched = await stack.call('PATCH', `/v1/leads/${lead.body.id}`, { key, body: { attributes: { [name('seats')]: true } } });
    expect(patched.status).toBe(400);
    expect(paths(patched.body)).toEqual([`attributes.${name('seats')}`]);
  });

  it('deletes a declaration, after which leads may no longer use it', async () => {
    const declared = await declare({ name: name('temporary'), type: 'string' });
    expect(declared.status).toBe(201);
    const id = declared.body.id;
    expect((await stack.call('POST', '/v1/leads', { key, body: { email: email(), attributes: { [name('temporary')]: 'ok' } } })).status).toBe(201);

    expect((await stack.call('DELETE', `/v1/attribute-definitions/${id}`, { key })).status).toBe(204);
    created.delete(name('temporary'));
    expect((await stack.call('DELETE', `/v1/attribute-definitions/${id}`, { key })).status).toBe(404);
    const list = await stack.call('GET', '/v1/attribute-definitions', { key });
    expect(list.body.map((d: { name: string }) => d.name)).not.toContain(name('temporary'));

    const refused = await stack.call('POST', '/v1/leads', { key, body: { email: email(), attributes: { [name('temporary')]: 'ok' } } });
    expect(refused.status).toBe(400);
    expect(paths(refused.body)).toEqual([`attributes.${name('temporary')}`]);
  });

  it('lets a sales key list attributes but not declare them', async () => {
    const sales = await stack.key('sales');
    expect((await stack.call('GET', '/v1/attribute-definitions', { key: sales })).status).toBe(200);
    expect((await stack.call('POST', '/v1/attribute-definitions', { key: sales, body: { name: name('by_sales'), type: 'string' } })).status).toBe(403);
  });
});
