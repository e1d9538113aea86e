import { MikroORM } from '@mikro-orm/postgresql';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import pino from 'pino';
import type { Client } from '@temporalio/client';
import { openTestDatabase } from '../../tests/support/db';
import { createScoringActivities } from './scoring.activities';

/**
 * The recompute's chunk activity on real PostgreSQL: it scores every lead after the cursor, page
 * by page, heartbeating the last lead of each page, and a retry goes on from the last heartbeat.
 *
 * Its leads have ids above any random UUID's, so a chunk that starts among them scores only
 * them; its model is deleted afterwards.
 */
describe('rescoreLeadChunk', () => {
  let orm: MikroORM;
  const VERSION = 800_000 + Math.floor(Math.random() * 90_000);
  const IDS = [1, 2, 3, 4, 5].map((n) => `ffffffff-ffff-4fff-8fff-fffffffff00${n}`);
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(text, params);

  beforeAll(async () => {
    orm = await openTestDatabase();
    await sql('delete from leads where id = any(?::uuid[])', [`{${IDS.join(',')}}`]);
    const model = { rules: [{ id: 'all', kind: 'fit', name: 'Everyone here', points: 7, when: { field: 'email', op: 'contains', value: '@chunk.example' } }], thresholds: { lead: null, mql: 100 } };
    await sql('insert into scoring_models (version, model) values (?, ?::jsonb)', [VERSION, JSON.stringify(model)]);
    for (const id of IDS) await sql(`insert into leads (id, email, attributes) values (?, ?, '{}'::jsonb)`, [id, `${id}@chunk.example`]);
  });

  afterAll(async () => {
    if (!orm) return;
    await sql('delete from scoring_models where version = ?', [VERSION]);
    await sql('delete from leads where id = any(?::uuid[])', [`{${IDS.join(',')}}`]);
    await orm.close(true);
  });

  const scores = async () => (await sql<{ id: string; score: number }>('select id, score from leads where id = any(?::uuid[]) order by id', [`{${IDS.join(',')}}`])).map((r) => r.score);

  it('scores the leads after the last heartbeat, page by page, and says when every lead has been', async () => {
    const activities = createScoringActivities({ orm, logger: pino({ level: 'silent' }), temporal: {} as Client }, { pageSize: 2 });
    // A first attempt got as far as the second lead before its worker died.
    const env = new MockActivityEnvironment({ heartbeatDetails: { cursor: IDS[1] } }, { logger: new DefaultLogger('ERROR') });
    const beats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => beats.push(details));

    const chunk = await env.run(activities.rescoreLeadChunk, { after: IDS[0] });
    expect(chunk).toEqual({ next: null, scored: 3, moved: 0 });
    expect(beats).toEqual([{ cursor: IDS[3] }, { cursor: IDS[4] }]);
    expect(await scores()).toEqual([0, 0, 7, 7, 7]);
  });
});
