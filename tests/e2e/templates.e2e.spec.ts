import { MikroORM, RequestContext } from '@mikro-orm/core';
import { createRootLogger } from '@ce/logging';
import { createApiApp } from '../../apps/api/src/app.factory';
import { TemplatesService } from '../../apps/api/src/templates/templates.service';
import { startStack, TestStack } from '../support/stack';
import { testConfig } from '../support/test-env';

/** Email templates with layouts and partials, checked when saved and previewed for real leads. */
describe('templates over HTTP', () => {
  let stack: TestStack;
  let key: string;
  const tag = `t${Date.now().toString(36)}`;
  const name = (base: string) => `${base}_${tag}`;
  const unknownId = '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21';
  let grace: string;
  let nameless: string;
  let layoutId: string;
  let emailId: string;

  const paths = (body: { errors?: { path: string }[] }) => [...new Set((body.errors ?? []).map((e) => e.path))].sort();
  const create = (body: Record<string, unknown>) => stack.call('POST', '/v1/templates', { key, body: { name: name('template'), ...body } });
  const preview = (id: string, body: Record<string, unknown>) => stack.call('POST', `/v1/templates/${id}/preview`, { key, body });
  async function created(body: Record<string, unknown>): Promise<string> {
    const response = await create(body);
    expect({ status: response.status, errors: response.body.errors }).toEqual({ status: 201, errors: undefined });
    return response.body.id;
  }
  async function lead(body: Record<string, unknown>): Promise<string> {
    const response = await stack.call('POST', '/v1/leads', { key, body });
    expect(response.status).toBe(201);
    return response.body.id;
  }

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    key = await stack.key('marketer');
    grace = await lead({ email: `grace-${tag}@example.com`, firstName: 'Grace', lastName: 'Hopper', company: 'Navy & <Co>' });
    nameless = await lead({ email: `nameless-${tag}@example.com` });

    await created({ kind: 'partial', partialName: name('legal'), html: '<small>Sent to {{lead.email}}</small>' });
    await created({ kind: 'partial', partialName: name('sig'), html: `<p>Cheers, the {{campaign.name}} team</p>{{> ${name('legal')}}}` });
    layoutId = await created({ kind: 'layout', html: '<html><body><div class="frame">{{{body}}}</div></body></html>' });
    emailId = await created({
      subject: 'Hi {{lead.firstName}}',
      html: `<h1>Hello {{lead.firstName}} {{lead.lastName}} of {{lead.company}}</h1>{{> ${name('sig')}}}`,
      layoutId,
    });
  });

  afterAll(async () => {
    if (!stack) return;
    await stack.sql('update templates set layout_id = null where name like ?', [`%${tag}%`]);
    await stack.sql('delete from flows where name like ?', [`%${tag}%`]);
    await stack.sql('delete from templates where name like ?', [`%${tag}%`]);
    await stack.sql('delete from leads where email like ?', [`%${tag}%`]);
    await stack.sql('delete from attribute_definitions where name like ?', [`%${tag}%`]);
    await stack.stop();
  });

  it('stores the kind, layout, partial name and policy of each template', async () => {
    const email = await stack.call('GET', `/v1/templates/${emailId}`, { key });
    expect(email.status).toBe(200);
    expect(email.body).toMatchObject({ kind: 'email', layoutId, partialName: null, missingVariables: 'default', variableDefaults: {} });
    const layout = await stack.call('GET', `/v1/templates/${layoutId}`, { key });
    expect(layout.body).toMatchObject({ kind: 'layout', subject: '', layoutId: null, partialName: null });

    const partials = await stack.call('GET', '/v1/templates?kind=partial', { key });
    expect(partials.status).toBe(200);
    expect(partials.body.map((t: { partialName: string }) => t.partialName)).toEqual(expect.arrayContaining([name('legal'), name('sig')]));
    expect(partials.body.every((t: { kind: string }) => t.kind === 'partial')).toBe(true);
  });

  it('previews an email for a real lead inside its layout, with nested partials, values escaped', async () => {
    const response = await preview(emailId, { leadId: grace, variables: { campaign: { name: 'Spring' } } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      subject: 'Hi Grace',
      html:
        '<html><body><div class="frame"><h1>Hello Grace Hopper of Navy &amp; &lt;Co&gt;</h1>' +
        `<p>Cheers, the Spring team</p><small>Sent to grace-${tag}@example.com</small></div></body></html>`,
      text: `Hello Grace Hopper of Navy & <Co>\n\nCheers, the Spring team\n\nSent to grace-${tag}@example.com`,
      missingVariables: [],
    });
  });

  it('renders defaults for missing values under the default policy and says which were missing', async () => {
    const id = await created({
      subject: 'Hi {{lead.firstName}}',
      html: '<p>Hi {{lead.firstName}}, {{lead.jobTitle}}</p>',
      variableDefaults: { 'lead.firstName': 'there' },
    });
    const response = await preview(id, { leadId: nameless });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ subject: 'Hi there', html: '<p>Hi there, </p>', missingVariables: ['lead.firstName', 'lead.jobTitle'] });
  });

  it('answers 422 naming the variable when a reject template meets a missing value, and renders when it is given', async () => {
    const id = await created({ subject: 'For {{lead.company}}', html: '<p>{{lead.firstName}}</p>', missingVariables: 'reject' });
    const refused = await preview(id, { leadId: nameless });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.code).toBe('TEMPLATE_RENDER_FAILED');
    expect(paths(refused.body)).toEqual(['lead.company']);

    const given = await preview(id, { leadId: nameless, variables: { lead: { company: 'Acme', firstName: 'Ann' } } });
    expect(given.status).toBe(200);
    expect(given.body).toMatchObject({ subject: 'For Acme', html: '<p>Ann</p>', missingVariables: [] });
  });

  it('answers 404 for an unknown template or lead, and 422 for previewing a layout', async () => {
    const noTemplate = await preview(unknownId, {});
    expect([noTemplate.status, noTemplate.body.code]).toEqual([404, 'NOT_FOUND']);
    const noLead = await preview(emailId, { leadId: unknownId });
    expect([noLead.status, noLead.body.code]).toEqual([404, 'NOT_FOUND']);
    const layout = await preview(layoutId, {});
    expect(layout.status).toBe(422);
    expect(paths(layout.body)).toEqual(['id']);
    const badBody = await preview(emailId, { leadId: 'x', variables: [1], extra: true });
    expect(badBody.status).toBe(400);
    expect(paths(badBody.body)).toEqual(['extra', 'leadId', 'variables']);
  });

  it('refuses templates that break the rules for their kind with 422 naming the field', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ kind: 'layout', html: '<div>no body</div>' }, ['html']],
      [{ kind: 'layout', html: '{{{body}}}{{{body}}}' }, ['html']],
      [{ kind: 'layout', html: '{{#if x}}{{{body}}}{{/if}}' }, ['html']],
      [{ kind: 'layout', html: '{{{body}}}', layoutId, text: 'x' }, ['layoutId', 'text']],
      [{ subject: 's', html: 'x', layoutId: emailId }, ['layoutId']],
      [{ subject: 's', html: 'x', layoutId: unknownId }, ['layoutId']],
      [{ html: '<p>no subject</p>' }, ['subject']],
      [{ kind: 'partial', html: '<p>x</p>' }, ['partialName']],
      [{ kind: 'partial', partialName: 'Bad Name!', html: '<p>x</p>' }, ['partialName']],
      [{ subject: 's', html: '{{> no_such_partial}}' }, ['html']],
      [{ subject: 'Hi {{> x}}', html: 'x' }, ['subject']],
      [{ subject: 's', html: '<p>{{#if lead.firstName}}open</p>' }, ['html']],
      [{ subject: 's', html: '<p>{{shout lead.firstName}}</p>' }, ['html']],
      [{ kind: 'partial', partialName: name('self'), html: `{{> ${name('self')}}}` }, ['html']],
    ];
    for (const [body, expected] of cases) {
      const response = await create(body);
      expect({ body, status: response.status, paths: paths(response.body) }).toEqual({ body, status: 422, paths: expected });
    }
  });

  it('refuses partials that would include each other in a loop', async () => {
    const first = await created({ kind: 'partial', partialName: name('ping'), html: '<b>ping</b>' });
    await created({ kind: 'partial', partialName: name('pong'), html: `{{> ${name('ping')}}}` });
    const loop = await stack.call('PATCH', `/v1/templates/${first}`, { key, body: { html: `{{> ${name('pong')}}}` } });
    expect(loop.status).toBe(422);
    expect(loop.body.errors).toEqual([{ path: 'html', message: `includes partials in a loop: ${name('ping')} → ${name('pong')} → ${name('ping')}` }]);
  });

  it('refuses a partial name that is taken with 409', async () => {
    const response = await create({ kind: 'partial', partialName: name('legal'), html: '<p>again</p>' });
    expect(response.status).toBe(409);
    expect(paths(response.body)).toEqual(['partialName']);
  });

  it('updates a template, and refuses renaming a partial that others include', async () => {
    const renamed = await stack.call('PATCH', `/v1/templates/${emailId}`, { key, body: { subject: 'Hello {{lead.firstName}}', layoutId: null } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ subject: 'Hello {{lead.firstName}}', layoutId: null });
    const shown = await preview(emailId, { leadId: grace });
    expect(shown.body.html.startsWith('<h1>Hello Grace')).toBe(true);
    await stack.call('PATCH', `/v1/templates/${emailId}`, { key, body: { layoutId } });

    const sig = (await stack.call('GET', '/v1/templates?kind=partial', { key })).body.find((t: { partialName: string }) => t.partialName === name('legal'));
    const rename = await stack.call('PATCH', `/v1/templates/${sig.id}`, { key, body: { partialName: name('legal2') } });
    expect(rename.status).toBe(409);
    const nulls = await stack.call('PATCH', `/v1/templates/${emailId}`, { key, body: { html: null, missingVariables: null } });
    expect(nulls.status).toBe(400);
    expect(paths(nulls.body)).toEqual(['html', 'missingVariables']);
  });

  it('deletes only templates nothing uses', async () => {
    const layoutInUse = await stack.call('DELETE', `/v1/templates/${layoutId}`, { key });
    expect(layoutInUse.status).toBe(409);
    const partials = (await stack.call('GET', '/v1/templates?kind=partial', { key })).body;
    const legal = partials.find((t: { partialName: string }) => t.partialName === name('legal'));
    expect((await stack.call('DELETE', `/v1/templates/${legal.id}`, { key })).status).toBe(409);

    const sent = await created({ subject: 's', html: '<p>sent by a flow</p>' });
    const flow = await stack.call('POST', '/v1/flows', {
      key,
      body: { name: name('flow'), definition: { entry: 'hello', steps: { hello: { type: 'send_email', templateId: sent } } } },
    });
    expect(flow.status).toBe(201);
    const inFlow = await stack.call('DELETE', `/v1/templates/${sent}`, { key });
    expect(inFlow.status).toBe(409);
    expect(inFlow.body.detail).toContain(`flow "${name('flow')}"`);

    const unused = await created({ subject: 's', html: '<p>bye</p>' });
    expect((await stack.call('DELETE', `/v1/templates/${unused}`, { key })).status).toBe(204);
    expect((await stack.call('GET', `/v1/templates/${unused}`, { key })).status).toBe(404);
  });

  it('answers odd input with a 4xx problem, never a 5xx', async () => {
    let deep: Record<string, unknown> = { value: 'x' };
    for (let i = 0; i < 200; i++) deep = { lead: deep };
    const requests: [string, string, unknown][] = [
      ['POST', `/v1/templates/${emailId}/preview`, { variables: deep }],
      ['POST', `/v1/templates/${emailId}/preview`, { variables: { lead: 'not an object', campaign: [1, 2] } }],
      ['POST', `/v1/templates/${emailId}/preview`, undefined],
      ['POST', '/v1/templates', { name: 'x', subject: 's', html: 'x', variableDefaults: { 'lead.x': 5 } }],
      ['POST', '/v1/templates', { name: 'x', subject: 's', html: 'x', variableDefaults: ['a'] }],
      ['POST', '/v1/templates', { name: 'x', kind: 'newsletter', html: 'x' }],
      ['POST', '/v1/templates', { name: 'x', subject: 's', html: '{{> (lookup . "name")}}' }],
      ['POST', '/v1/templates', { name: 'x', subject: 's', html: '{{> @partial-block}}' }],
      ['POST', '/v1/templates', { name: 'x', kind: 'partial', partialName: 'p'.repeat(65), html: 'x' }],
      ['GET', '/v1/templates?kind=newsletter', undefined],
      ['PATCH', `/v1/templates/${layoutId}`, { html: '<p>lost the body</p>' }],
      ['PATCH', `/v1/templates/${emailId}`, { layoutId: emailId }],
      ['PATCH', `/v1/templates/${unknownId}`, { name: 'x' }],
      ['DELETE', `/v1/templates/${unknownId}`, undefined],
    ];
    for (const [method, path, body] of requests) {
      const response = await stack.call(method, path, { key, body });
      expect({ method, path, ok: response.status >= 200 && response.status < 500 }).toEqual({ method, path, ok: true });
      if (response.status >= 400) expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('lets only marketers and admins use templates', async () => {
    const analyst = await stack.key('analyst');
    const calls: [string, string, unknown][] = [
      ['GET', '/v1/templates', undefined],
      ['POST', '/v1/templates', { name: 'x', subject: 's', html: 'x' }],
      ['POST', `/v1/templates/${emailId}/preview`, { leadId: grace }],
      ['PATCH', `/v1/templates/${emailId}`, { name: 'x' }],
      ['DELETE', `/v1/templates/${emailId}`, undefined],
    ];
    for (const [method, path, body] of calls) {
      const response = await stack.call(method, path, { key: analyst, body });
      expect({ route: `${method} ${path}`, status: response.status }).toEqual({ route: `${method} ${path}`, status: 403 });
    }
    expect((await stack.call('GET', '/v1/templates', { key: await stack.key('admin') })).status).toBe(200);
  });

  describe('the publish check', () => {
    let orm: MikroORM;
    let close: () => Promise<void>;
    let check: (id: string) => Promise<string[]>;

    beforeAll(async () => {
      const { app } = await createApiApp(testConfig(), createRootLogger('silent', 'test'));
      await app.init();
      orm = app.get(MikroORM);
      const service = app.get(TemplatesService);
      check = (id) => RequestContext.create(orm.em, () => service.publishProblems(id));
      close = () => app.close();
    });

    afterAll(() => close?.());

    it('names each printed variable of a reject template that nothing accounts for', async () => {
      const declared = await stack.call('POST', '/v1/attribute-definitions', { key, body: { name: name('plan'), type: 'string' } });
      expect(declared.status).toBe(201);
      const id = await created({
        subject: '{{lead.firstName}} on {{campaign.name}}',
        html: `{{lead.${name('plan')}}} {{lead.nickname}} {{lead.title}} {{#if lead.vip}}VIP{{/if}}`,
        missingVariables: 'reject',
        variableDefaults: { 'lead.title': 'friend' },
      });
      expect(await check(id)).toEqual([
        expect.stringContaining('prints lead.nickname, which is not a lead field, a declared lead attribute or campaign.name'),
      ]);
      expect(await check(emailId)).toEqual([]);
      expect(await check(layoutId)).toEqual([expect.stringContaining('is a layout')]);
      expect(await check(unknownId)).toEqual([`template ${unknownId} does not exist`]);
    });
  });
});
