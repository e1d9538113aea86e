import { ROLES, Role } from '@ce/db';
import { startStack, TestStack } from '../support/stack';

interface Operation {
  method: string;
  path: string;
  roles: string[];
}

/**
 * Every route in the OpenAPI document (which Nest builds from every controller) declares its
 * roles; every non-public route refuses a missing key, an unknown key and a role it does not
 * allow.
 */
describe('API keys and roles on every route', () => {
  let stack: TestStack;
  let operations: Operation[];
  const keys = {} as Record<Role, string>;
  let salesRep: { repId: string; key: string } | undefined;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    for (const role of ROLES) keys[role] = await stack.key(role);
    // A sales key of a rep: a sales key that belongs to no rep is refused by the sales routes themselves.
    salesRep = await stack.salesRep('Auth test');
    keys.sales = salesRep.key;
    const document = (await stack.call('GET', '/docs-json')).body as {
      paths: Record<string, Record<string, { 'x-roles'?: string[] }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, roles: op['x-roles'] ?? [] })),
    );
  });

  afterAll(async () => {
    if (salesRep) await stack.sql('delete from sales_reps where id = ?', [salesRep.repId]);
    await stack?.stop();
  });

  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');

  it('documents roles for every route', () => {
    expect(operations.length).toBeGreaterThan(10);
    const undeclared = operations.filter((op) => op.roles.length === 0).map((op) => `${op.method} ${op.path}`);
    expect(undeclared).toEqual([]);
  });

  it('keeps only health and tracking open without a key', () => {
    const open = operations.filter((op) => op.roles.includes('public')).map((op) => `${op.method} ${op.path}`).sort();
    expect(open).toEqual(['GET /health', 'GET /ready', 'GET /t/c/{token}', 'GET /t/o/{token}', 'GET /t/u/{token}', 'POST /t/u/{token}']);
  });

  it('answers 401 problem+json to a request with no key or an unknown key', async () => {
    for (const op of operations.filter((o) => !o.roles.includes('public'))) {
      const missing = await stack.call(op.method, concrete(op.path), { body: op.method === 'GET' || op.method === 'DELETE' ? undefined : {} });
      expect({ route: `${op.method} ${op.path}`, status: missing.status, code: missing.body?.code }).toEqual({
        route: `${op.method} ${op.path}`,
        status: 401,
        code: 'AUTH_REQUIRED',
      });
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      const unknown = await stack.call(op.method, concrete(op.path), { key: 'ce_not-a-real-key', body: op.method === 'GET' || op.method === 'DELETE' ? undefined : {} });
      expect({ route: `${op.method} ${op.path}`, status: unknown.status }).toEqual({ route: `${op.method} ${op.path}`, status: 401 });
    }
  });

  it('answers 403 to every role a route does not allow, and lets allowed roles past the guard', async () => {
    let refused = 0;
    for (const op of operations.filter((o) => !o.roles.includes('public'))) {
      for (const role of ROLES) {
        const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
        const response = await stack.call(op.method, concrete(op.path), { key: keys[role], body });
        const route = `${op.method} ${op.path} as ${role}`;
        if (op.roles.includes(role)) {
          expect({ route, passed: ![401, 403].includes(response.status) }).toEqual({ route, passed: true });
        } else {
          expect({ route, status: response.status, code: response.body?.code }).toEqual({ route, status: 403, code: 'FORBIDDEN' });
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(10);
  });

  it('stops accepting a key once it is revoked', async () => {
    const made = await stack.call('POST', '/v1/api-keys', { key: keys.admin, body: { name: 'temp', role: 'analyst' } });
    expect(made.status).toBe(201);
    expect((await stack.call('GET', '/v1/campaigns', { key: made.body.key })).status).toBe(200);
    expect((await stack.call('DELETE', `/v1/api-keys/${made.body.id}`, { key: keys.admin })).status).toBe(200);
    expect((await stack.call('GET', '/v1/campaigns', { key: made.body.key })).status).toBe(401);
    const listed = await stack.call('GET', '/v1/api-keys', { key: keys.admin });
    expect(JSON.stringify(listed.body)).not.toContain(made.body.key);
  });
});
