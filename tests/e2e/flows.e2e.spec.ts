import { randomUUID } from 'node:crypto';
import { startStack, TestStack } from '../support/stack';

/**
 * The flow designer API over HTTP: drafts saved while invalid, published as immutable numbered
 * versions, diffs, full validation with paths, the dry run, and who may do what.
 */
describe('flows API', () => {
  let stack: TestStack;
  let marketer: string;
  let engineer: string;
  let analyst: string;
  let templates: Record<'welcome' | 'thanks' | 'nudge', string>;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    [marketer, engineer, analyst] = await Promise.all([stack.key('marketer'), stack.key('engineer'), stack.key('analyst')]);
    const template = async (name: string) => {
      const made = await stack.call('POST', '/v1/templates', { key: marketer, body: { name, subject: name, html: `<p>${name}</p>` } });
      expect(made.status).toBe(201);
      return made.body.id as string;
    };
    templates = { welcome: await template('welcome'), thanks: await template('thanks'), nudge: await template('nudge') };
  });

  afterAll(() => stack?.stop());

  const call = (method: string, path: string, body?: unknown, key = marketer) => stack.call(method, path, { key, body });
  const paths = (body: { errors?: { path: string }[]; problems?: { path: string }[] }) =>
    (body.errors ?? body.problems ?? []).map((e) => e.path);
  const send = (templateId: string, next?: string) => ({ type: 'send_email', templateId, ...(next ? { next } : {}) });
  const series = (duration: string) => ({
    entry: 'welcome',
    steps: { welcome: send(templates.welcome, 'pause'), pause: { type: 'wait', duration, next: 'thanks' }, thanks: send(templates.thanks) },
  });

  it('saves an invalid draft, lists its problems, publishes it once fixed, then versions and diffs its edits', async () => {
    const created = await call('POST', '/v1/flows', { name: `series ${run}`, definition: series('soon'), publish: false });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: null, definition: null, draft: { definition: series('soon') } });
    expect(paths(created.body.draft)).toEqual(['definition.steps.pause.duration']);
    const id = created.body.id as string;

    const refused = await call('POST', `/v1/flows/${id}/publish`);
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.code).toBe('FLOW_INVALID');
    expect(paths(refused.body)).toEqual(['definition.steps.pause.duration']);

    const fixed = await call('PUT', `/v1/flows/${id}/draft`, { definition: series('3d') });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ definition: series('3d'), problems: [] });
    const v1 = await call('POST', `/v1/flows/${id}/publish`);
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ flowId: id, version: 1, definition: series('3d') });
    expect((await call('GET', `/v1/flows/${id}`)).body).toMatchObject({ version: 1, draft: null, definition: series('3d') });

    const edited = { ...series('5d'), steps: { ...series('5d').steps, thanks: send(templates.thanks, 'last'), last: send(templates.nudge) } };
    expect((await call('PUT', `/v1/flows/${id}/draft`, { definition: edited })).status).toBe(200);
    const v2 = await call('POST', `/v1/flows/${id}/publish`);
    expect(v2.body).toMatchObject({ version: 2, definition: edited });

    const versions = await call('GET', `/v1/flows/${id}/versions`, undefined, engineer);
    expect(versions.body.map((v: { version: number; steps: number }) => [v.version, v.steps])).toEqual([[2, 4], [1, 3]]);
    const first = await call('GET', `/v1/flows/${id}/versions/1`, undefined, engineer);
    expect(first.body).toMatchObject({ version: 1, versionId: v1.body.versionId, definition: series('3d') });

    const diff = await call('GET', `/v1/flows/${id}/diff?from=1&to=2`, undefined, engineer);
    expect(diff.status).toBe(200);
    expect(diff.body).toEqual({
      from: '1',
      to: '2',
      identical: false,
      steps: {
        added: [{ stepId: 'last', step: send(templates.nudge) }],
        removed: [],
        changed: [
          { stepId: 'pause', settings: [{ setting: 'duration', before: '3d', after: '5d' }] },
          { stepId: 'thanks', settings: [{ setting: 'next', after: 'last' }] },
        ],
      },
      entry: null,
      exitRules: null,
      reenrollment: null,
    });

    const next = { entry: 'pause', steps: { pause: edited.steps.pause, thanks: edited.steps.thanks, last: edited.steps.last }, exitRules: [{ on: 'conversion' }] };
    expect((await call('PUT', `/v1/flows/${id}/draft`, { definition: next })).body.problems).toEqual([]);
    const toDraft = await call('GET', `/v1/flows/${id}/diff?from=2&to=draft`);
    expect(toDraft.body).toMatchObject({
      steps: { added: [], removed: [{ stepId: 'welcome' }], changed: [] },
      entry: { before: 'welcome', after: 'pause' },
      exitRules: { after: [{ on: 'conversion' }] },
      reenrollment: null,
    });
    expect((await call('GET', `/v1/flows/${id}`)).body).toMatchObject({ version: 2, draft: { definition: next, problems: [] } });

    expect((await call('DELETE', `/v1/flows/${id}/draft`)).status).toBe(204);
    expect((await call('GET', `/v1/flows/${id}/draft`)).status).toBe(404);
    expect((await call('GET', `/v1/flows/${id}/diff?from=1&to=draft`)).status).toBe(404);
    const nothing = await call('POST', `/v1/flows/${id}/publish`);
    expect(nothing.status).toBe(409);
    expect(nothing.body.code).toBe('CONFLICT');
    // Version 1 is as it was published.
    expect((await call('GET', `/v1/flows/${id}/versions/1`)).body.definition).toEqual(series('3d'));
    expect((await call('GET', `/v1/flows/${id}/versions/3`)).status).toBe(404);
  });

  it('gives concurrent publishes distinct version numbers', async () => {
    const created = await call('POST', '/v1/flows', { name: `busy ${run}`, definition: series('1d') });
    expect(created.body.version).toBe(1);
    const id = created.body.id as string;

    // Five publishes of one draft: the first takes it, the others find no draft left.
    await call('PUT', `/v1/flows/${id}/draft`, { definition: series('2d') });
    const racing = await Promise.all(Array.from({ length: 5 }, () => call('POST', `/v1/flows/${id}/publish`)));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);

    // Editors saving and publishing at once: every publish that succeeds has its own number.
    const editors = await Promise.all(
      [3, 4, 5, 6].map(async (days) => {
        await call('PUT', `/v1/flows/${id}/draft`, { definition: series(`${days}d`) });
        return call('POST', `/v1/flows/${id}/publish`);
      }),
    );
    const numbers = editors.filter((r) => r.status === 201).map((r) => r.body.version as number);
    expect(numbers.length).toBeGreaterThan(0);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(editors.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const versions = (await call('GET', `/v1/flows/${id}/versions`)).body.map((v: { version: number }) => v.version);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => versions.length - i));
    expect(versions.length).toBe(2 + numbers.length);
  });

  it('refuses invalid flows with 422 naming each problem by path', async () => {
    const undeclared = `no_such_attribute_${run}`;
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['unknown step type', { entry: 'a', steps: { a: { type: 'send_pigeon' } } }, ['definition.steps.a.type']],
      ['dangling next', { entry: 'a', steps: { a: send(templates.welcome, 'nowhere') } }, ['definition.steps.a.next']],
      ['unreachable step', { entry: 'a', steps: { a: send(templates.welcome), orphan: send(templates.nudge) } }, ['definition.steps.orphan']],
      ['loop without a wait', { entry: 'a', steps: { a: send(templates.welcome, 'b'), b: send(templates.nudge, 'a') } }, ['definition.steps.a']],
      ['bad duration', { entry: 'a', steps: { a: { type: 'wait', duration: 'a while' } } }, ['definition.steps.a.duration']],
      ['missing template', { entry: 'a', steps: { a: send(randomUUID()) } }, ['definition.steps.a.templateId']],
      [
        'missing segment in an exit rule',
        { entry: 'a', steps: { a: send(templates.welcome) }, exitRules: [{ on: 'conversion' }, { on: 'segment_entered', segmentId: randomUUID() }] },
        ['definition.exitRules[1].segmentId'],
      ],
      [
        'undeclared attribute in a branch on the lead',
        {
          entry: 'check',
          steps: {
            check: { type: 'branch', branches: [{ when: { lead: { attribute: undeclared, op: 'eq', value: 'x' } }, next: 'a' }], otherwise: null },
            a: send(templates.welcome),
          },
        },
        ['definition.steps.check.branches[0].when.lead.attribute'],
      ],
    ];
    for (const [what, definition, expected] of cases) {
      const response = await call('POST', '/v1/flows', { name: what, definition });
      expect({ what, status: response.status, code: response.body.code, paths: paths(response.body) }).toEqual({
        what,
        status: 422,
        code: 'FLOW_INVALID',
        paths: expected,
      });
      const checked = await call('POST', '/v1/flows/validate', { definition }, engineer);
      expect({ what, status: checked.status, valid: checked.body.valid, paths: paths(checked.body) }).toEqual({ what, status: 200, valid: false, paths: expected });
    }
    expect((await call('POST', '/v1/flows/validate', { definition: series('3d') })).body).toEqual({ valid: true, problems: [] });
    const notObject = await call('POST', '/v1/flows', { name: 'x', definition: [1, 2] });
    expect({ status: notObject.status, paths: paths(notObject.body) }).toEqual({ status: 400, paths: ['definition'] });
    const huge = await call('PUT', `/v1/flows/${randomUUID()}/draft`, { definition: { entry: 'a', notes: 'x'.repeat(300_000) } });
    expect({ status: huge.status, paths: paths(huge.body) }).toEqual({ status: 400, paths: ['definition'] });
  });

  it('lists flows newest first, a page at a time', async () => {
    const made: string[] = [];
    for (const n of [1, 2, 3]) made.push((await call('POST', '/v1/flows', { name: `page ${n}`, definition: series('1d'), publish: n !== 2 })).body.id);
    // Other suites may add flows meanwhile: walk pages of two until all three are seen.
    const seen: { id: string; latestVersion: number | null; hasDraft: boolean }[] = [];
    let after: string | null = null;
    do {
      const page = await call('GET', `/v1/flows?limit=2${after ? `&after=${after}` : ''}`, undefined, engineer);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      after = page.body.nextCursor;
    } while (after && !made.every((id) => seen.some((f) => f.id === id)));
    const ours = seen.filter((f) => made.includes(f.id));
    expect(ours.map((f) => [f.id, f.latestVersion, f.hasDraft])).toEqual([[made[2], 1, false], [made[1], null, true], [made[0], 1, false]]);
    expect(new Set(seen.map((f) => f.id)).size).toBe(seen.length);
    expect((await call('GET', '/v1/flows?after=garbage')).status).toBe(400);
  });

  describe('dry run', () => {
    const startAt = '2030-01-01T09:00:00.000Z';
    const at = (hours: number) => new Date(Date.parse(startAt) + hours * 3_600_000).toISOString();
    let leads: Record<'de' | 'fr', string>;

    beforeAll(async () => {
      const lead = async (country: string) =>
        (await call('POST', '/v1/leads', { email: `${country.toLowerCase()}-${run}@flows-e2e.test`, country })).body.id as string;
      leads = { de: await lead('DE'), fr: await lead('FR') };
    });

    const engagement = () => ({
      entry: 'welcome',
      steps: {
        welcome: send(templates.welcome, 'pause'),
        pause: { type: 'wait', duration: '3d', next: 'check' },
        check: { type: 'branch', branches: [{ when: { event: { type: 'opened', step: 'welcome' } }, next: 'thanks' }], otherwise: 'nudge' },
        thanks: send(templates.thanks),
        nudge: send(templates.nudge),
      },
    });

    it('takes a different path when the lead opens the first email, at the right times', async () => {
      const flow = (await call('POST', '/v1/flows', { name: `engagement ${run}`, definition: engagement() })).body.id;
      const quiet = await call('POST', `/v1/flows/${flow}/dry-run`, { leadId: leads.fr, startAt }, engineer);
      expect(quiet.status).toBe(200);
      expect(quiet.body).toMatchObject({
        version: 1,
        path: [
          { stepId: 'welcome', type: 'send_email', at: startAt, action: `send template ${templates.welcome}` },
          { stepId: 'pause', type: 'wait', at: startAt, note: `waits until ${at(72)}` },
          { stepId: 'check', type: 'branch', at: at(72) },
          { stepId: 'nudge', type: 'send_email', at: at(72), action: `send template ${templates.nudge}` },
        ],
        end: { status: 'completed', reason: 'flow_finished', at: at(72) },
        events: [],
        truncated: false,
      });

      const opened = await call('POST', `/v1/flows/${flow}/dry-run`, {
        leadId: leads.fr,
        startAt,
        events: [{ type: 'opened', step: 'welcome', after: '2h' }],
      });
      expect(opened.status).toBe(200);
      expect(opened.body.path.map((p: { stepId: string; at: string }) => [p.stepId, p.at])).toEqual([
        ['welcome', startAt],
        ['pause', startAt],
        ['check', at(72)],
        ['thanks', at(72)],
      ]);
      expect(opened.body.events).toEqual([{ type: 'opened', at: at(2), outcome: 'fed' }]);
      expect(opened.body.end).toEqual({ status: 'completed', reason: 'flow_finished', at: at(72) });
    });

    it("follows the real lead's data on a branch on the lead", async () => {
      const definition = {
        entry: 'check',
        steps: {
          check: { type: 'branch', branches: [{ when: { lead: { field: 'country', op: 'eq', value: 'DE' } }, next: 'german' }], otherwise: 'other' },
          german: send(templates.welcome),
          other: send(templates.nudge),
        },
      };
      const flow = (await call('POST', '/v1/flows', { name: `by country ${run}`, definition })).body.id;
      const de = await call('POST', `/v1/flows/${flow}/dry-run`, { leadId: leads.de, startAt });
      const fr = await call('POST', `/v1/flows/${flow}/dry-run`, { leadId: leads.fr, startAt });
      expect(de.body.path.map((p: { stepId: string }) => p.stepId)).toEqual(['check', 'german']);
      expect(de.body.path[0].note).toBe('lead conditions: met');
      expect(fr.body.path.map((p: { stepId: string }) => p.stepId)).toEqual(['check', 'other']);
    });

    const clicks = () => ({
      entry: 'welcome',
      steps: {
        welcome: send(templates.welcome, 'pause'),
        pause: { type: 'wait', duration: '1d', next: 'click' },
        click: { type: 'wait_for_event', event: 'clicked', timeout: '30d', next: 'thanks', timeoutNext: 'nudge' },
        thanks: send(templates.thanks),
        nudge: send(templates.nudge),
      },
    });

    it('counts an event that came before the wait for it, as the workflow does', async () => {
      const flow = (await call('POST', '/v1/flows', { name: `early click ${run}`, definition: clicks() })).body.id;
      const early = await call('POST', `/v1/flows/${flow}/dry-run`, { leadId: leads.fr, startAt, events: [{ type: 'clicked', at: at(1) }] });
      expect(early.status).toBe(200);
      expect(early.body.path.map((p: { stepId: string; at: string }) => [p.stepId, p.at])).toEqual([
        ['welcome', startAt],
        ['pause', startAt],
        ['click', at(24)],
        ['thanks', at(24)],
      ]);
    });

    it('runs a valid draft, stops at the horizon, and takes the timeout path when the event comes too late', async () => {
      const flow = (await call('POST', '/v1/flows', { name: `clicks ${run}`, definition: clicks(), publish: false })).body.id;
      const waiting = await call('POST', `/v1/flows/${flow}/dry-run`, { leadId: leads.fr, startAt, horizon: '7d' });
      expect(waiting.status).toBe(200);
      expect(waiting.body.version).toBe('draft');
      expect(waiting.body.end).toBeNull();
      expect(waiting.body.awaiting).toEqual({ kind: 'event', stepId: 'click', until: at(24 + 30 * 24) });
      expect(waiting.body.path[2]).toMatchObject({ stepId: 'click', at: at(24), note: `waits for clicked until ${at(24 + 30 * 24)}` });

      const late = await call('POST', `/v1/flows/${flow}/dry-run`, { leadId: leads.fr, startAt, version: 'draft', events: [{ type: 'clicked', after: '40d' }] });
      expect(late.body.path.map((p: { stepId: string; at: string }) => [p.stepId, p.at])).toEqual([
        ['welcome', startAt],
        ['pause', startAt],
        ['click', at(24)],
        ['nudge', at(24 + 30 * 24)],
      ]);
      expect(late.body.path[2].note).toBe(`waits for clicked until ${at(24 + 30 * 24)}; timed out at ${at(24 + 30 * 24)}`);
      expect(late.body.events).toEqual([{ type: 'clicked', at: at(40 * 24), outcome: 'after_end' }]);
      expect(late.body.end).toEqual({ status: 'completed', reason: 'flow_finished', at: at(24 + 30 * 24) });
    });

    it('answers 404 for an unknown lead, 422 for an invalid draft and 400 naming bad fields', async () => {
      const flow = (await call('POST', '/v1/flows', { name: `broken ${run}`, definition: series('later'), publish: false })).body.id;
      const invalid = await call('POST', `/v1/flows/${flow}/dry-run`, { leadId: leads.fr });
      expect({ status: invalid.status, paths: paths(invalid.body) }).toEqual({ status: 422, paths: ['definition.steps.pause.duration'] });
      expect((await call('POST', `/v1/flows/${flow}/dry-run`, { leadId: randomUUID(), version: 'draft' })).status).toBe(422);
      const published = (await call('POST', '/v1/flows', { name: `fine ${run}`, definition: series('1d') })).body.id;
      const unknown = await call('POST', `/v1/flows/${published}/dry-run`, { leadId: randomUUID() });
      expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      const bad = await call('POST', `/v1/flows/${published}/dry-run`, {
        leadId: leads.fr,
        version: 'latest',
        startAt,
        horizon: '4000d',
        timeZone: 'Mars/Olympus',
        events: [{ type: 'opened', at: '2029-12-31T00:00:00Z' }, { type: 'Opened!' }],
      });
      expect(bad.status).toBe(400);
      expect(paths(bad.body).sort()).toEqual(['version', 'events[1].type'].sort());
      const bad2 = await call('POST', `/v1/flows/${published}/dry-run`, {
        leadId: leads.fr,
        startAt,
        horizon: '4000d',
        timeZone: 'Mars/Olympus',
        events: [{ type: 'opened', at: '2029-12-31T00:00:00Z' }, { type: 'opened' }],
      });
      expect(paths(bad2.body)).toEqual(['horizon', 'timeZone', 'events[0].at', 'events[1]']);
    });
  });

  it('lets only marketers change flows; engineers read, validate and dry-run; analysts get 403', async () => {
    const flow = (await call('POST', '/v1/flows', { name: `roles ${run}`, definition: series('1d') })).body.id;
    const writes: [string, string, unknown][] = [
      ['POST', '/v1/flows', { name: 'x', definition: series('1d') }],
      ['PUT', `/v1/flows/${flow}/draft`, { definition: series('2d') }],
      ['DELETE', `/v1/flows/${flow}/draft`, undefined],
      ['POST', `/v1/flows/${flow}/publish`, undefined],
    ];
    for (const [method, path, body] of writes) {
      for (const key of [analyst, engineer]) {
        const response = await call(method, path, body, key);
        expect({ route: `${method} ${path}`, status: response.status }).toEqual({ route: `${method} ${path}`, status: 403 });
      }
    }
    expect((await call('GET', `/v1/flows/${flow}`, undefined, analyst)).status).toBe(403);
    expect((await call('GET', `/v1/flows/${flow}`, undefined, engineer)).status).toBe(200);
  });

  it('lists every registered step type with its settings schema', async () => {
    const listed = await call('GET', '/v1/step-types', undefined, engineer);
    expect(listed.status).toBe(200);
    const types = listed.body.map((t: { type: string }) => t.type);
    expect(types).toEqual(
      ['adjust_score', 'branch', 'chat_notify', 'exit', 'notify_sales', 'send_email', 'split', 'update_lead', 'wait', 'wait_for_event', 'wait_until', 'webhook'],
    );
    const sendEmail = listed.body.find((t: { type: string }) => t.type === 'send_email');
    expect(sendEmail).toMatchObject({ kind: 'action', schema: { required: ['templateId'] } });
    expect(listed.body.find((t: { type: string }) => t.type === 'wait').kind).toBe('control');
  });

  it('checks the handlebars of message texts in steps at design time', async () => {
    const definition = {
      entry: 'chat',
      steps: {
        chat: { type: 'chat_notify', url: 'https://chat.example.com/hook', text: 'New lead {{#if lead.firstName}}{{lead.firstName}}', next: 'tell' },
        tell: { type: 'notify_sales', to: ['sales@example.com'], message: 'Hot: {{nosuchhelper lead.email}}' },
      },
    };
    const checked = await call('POST', '/v1/flows/validate', { definition });
    expect(checked.body.valid).toBe(false);
    expect(paths(checked.body).sort()).toEqual(['definition.steps.chat.text', 'definition.steps.tell.message']);
  });
});
