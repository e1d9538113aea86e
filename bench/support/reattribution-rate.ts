import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from 'pg';
import { attributeOne, REATTRIBUTION_PAGE_SIZE } from '../../activities/attribution/attribution.activities';
import { loadWeights, reattributePage } from '../../activities/attribution/attribute-conversions';

export interface ReattributionRate {
  paged: { conversions: number; ms: number; perSecond: number };
  oneAtATime: { conversions: number; ms: number; perSecond: number };
  ratio: number;
}

/**
 * Conversions attributed again per second, as `reattributeConversions` does it after a weights
 * refresh (pages of REATTRIBUTION_PAGE_SIZE in id order: one transaction and a handful of
 * statements per page), against the same run's baseline: the next conversions attributed one
 * at a time (`attributeOne`, a page of one each: what the activity did before it paged). The
 * credits are replaced by those of the real models, so this runs after the report's timings.
 * Checks afterwards that every conversion attributed has credits summing to 1 and revenue
 * summing to its value under every model.
 */
export async function measureReattribution(orm: MikroORM, client: Client, count: number, log: (line: string) => void): Promise<ReattributionRate> {
  const em = orm.em.fork();
  const weights = await loadWeights(em);
  let cursor = '00000000-0000-0000-0000-000000000000';
  let paged = 0;
  const pagedStarted = performance.now();
  while (paged < count) {
    const page = await reattributePage(em, cursor, Math.min(REATTRIBUTION_PAGE_SIZE, count - paged), weights);
    if (!page) break;
    cursor = page.last;
    paged += page.attributed;
  }
  const pagedMs = performance.now() - pagedStarted;

  const single = Math.max(1, Math.round(count / 20));
  const { rows } = await client.query<{ id: string }>('select id from conversions where id > $1 order by id limit $2', [cursor, single]);
  const singleStarted = performance.now();
  for (const { id } of rows) await attributeOne(em, id, weights);
  const singleMs = performance.now() - singleStarted;

  const last = rows.length > 0 ? rows[rows.length - 1].id : cursor;
  const { rows: broken } = await client.query<{ n: number }>(
    `select count(*)::int as n from (
       select a.conversion_id from attribution_credits a join conversions c on c.id = a.conversion_id
       where a.conversion_id <= $1 group by a.conversion_id, a.model, c.value_minor
       having abs(sum(a.credit) - 1) > 1e-9 or sum(a.revenue_minor) <> c.value_minor
     ) x`,
    [last],
  );
  if (broken[0].n > 0) throw new Error(`${broken[0].n} re-attributed (conversion, model) pairs do not sum to 1 and to the value`);

  const rate = (conversions: number, ms: number) => ({ conversions, ms: Math.round(ms), perSecond: Math.round(conversions / (ms / 1000)) });
  const result = { paged: rate(paged, pagedMs), oneAtATime: rate(rows.length, singleMs), ratio: 0 };
  result.ratio = Math.round((result.paged.perSecond / result.oneAtATime.perSecond) * 10) / 10;
  log(`re-attribution in pages of ${REATTRIBUTION_PAGE_SIZE}: ${paged} conversions in ${(pagedMs / 1000).toFixed(1)} s (${result.paged.perSecond} a second)`);
  log(`one at a time (baseline):        ${rows.length} conversions in ${(singleMs / 1000).toFixed(1)} s (${result.oneAtATime.perSecond} a second); ${result.ratio}× faster in pages`);
  log('re-attributed credits sum to 1 and to the value under every model');
  return result;
}
