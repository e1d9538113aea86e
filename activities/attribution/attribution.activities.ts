import type { EntityManager } from '@mikro-orm/postgresql';
import { Context } from '@temporalio/activity';
import { DEFAULT_LOOKBACK_MS, markovModel, PathStats, shapleyModel } from '@ce/attribution';
import { arrayLiteral, loadAttributionWindow } from '@ce/db';
import type { ActivityDeps } from '../deps';
import { startAttributionRefresh } from './refresh-request';
import { attributeConversions, AttributionSummary, ChannelWeights, loadWeights, reattributePage } from './attribute-conversions';

export type { AttributionSummary } from './attribute-conversions';

export interface AttributeConversionInput {
  conversionId: string;
}

/** Conversions attributed again per page (one transaction, a handful of statements) after a refresh. */
export const REATTRIBUTION_PAGE_SIZE = 2_000;

/**
 * Credits one conversion under every model: the lead's touchpoints in the look-back window, the
 * touch at which the lead was created and the one at which it became an opportunity (W-shaped),
 * the data-driven models' channel weights. Running it again (a late touchpoint, new weights)
 * replaces the credits. Null when the conversion no longer exists. The same code attributes
 * pages of conversions (`attributeConversions`), here a page of one.
 */
export async function attributeOne(em: EntityManager, conversionId: string, weights: ChannelWeights): Promise<AttributionSummary | null> {
  const [summary] = await attributeConversions(em, [conversionId], weights);
  return summary ?? null;
}

export const createAttributionActivities = ({ orm, logger }: Pick<ActivityDeps, 'orm' | 'logger'>) => ({
  /** Credits one conversion under every model (`attributeOne`). */
  async attributeConversion(input: AttributeConversionInput): Promise<AttributionSummary> {
    const em = orm.em.fork();
    const summary = await attributeOne(em, input.conversionId, await loadWeights(em));
    // A conversion deleted meanwhile (its lead erased) has nothing left to credit.
    if (!summary) return { conversionId: input.conversionId, touches: 0, credits: 0, gone: true };
    logger.debug({ msg: 'conversion attributed', ...summary });
    return summary;
  },
});

/** What a refresh of the data-driven models found. */
export interface WeightsRefresh {
  paths: number;
  conversions: number;
  nonConverting: number;
  channels: number;
}

/**
 * The aggregated paths the data-driven models learn from: for every conversion, the channels of
 * its lead's touchpoints in its look-back window, in time order; for every lead with touchpoints
 * in the last look-back window and no conversion in it, its channels then — a journey that did
 * not convert. Counted by path in PostgreSQL.
 */
export async function aggregatedPaths(em: EntityManager, now: Date, lookbackMs = DEFAULT_LOOKBACK_MS): Promise<PathStats[]> {
  const rows = await em.getConnection().execute<{ path: string; conversions: string; nulls: string }[]>(
    `with converting as (
       select c.id, string_agg(t.channel, '>' order by t.occurred_at, t.id) as path
       from conversions c join touchpoints t on t.lead_id = c.lead_id
        and t.occurred_at <= c.occurred_at and t.occurred_at >= c.occurred_at - ? * interval '1 millisecond'
       group by c.id
     ), idle as (
       select t.lead_id, string_agg(t.channel, '>' order by t.occurred_at, t.id) as path
       from touchpoints t
       where t.lead_id is not null and t.occurred_at >= ?::timestamptz - ? * interval '1 millisecond' and t.occurred_at <= ?
         and not exists (select 1 from conversions c where c.lead_id = t.lead_id and c.occurred_at >= ?::timestamptz - ? * interval '1 millisecond')
       group by t.lead_id
     )
     select path, sum(conversions)::text as conversions, sum(nulls)::text as nulls from (
       select path, 1 as conversions, 0 as nulls from converting
       union all select path, 0, 1 from idle
     ) p group by path`,
    [lookbackMs, now, lookbackMs, now, now, lookbackMs],
  );
  return rows.map((r) => ({ channels: r.path.split('>'), conversions: Number(r.conversions), value: Number(r.conversions), nulls: Number(r.nulls) }));
}

/** How far a re-attribution got: the last conversion id written, and how many were attributed up to it. */
export interface ReattributionProgress {
  cursor: string;
  conversions: number;
}

/** The progress an earlier attempt heartbeated (an id alone from an older worker), or the start. */
function readProgress(details: unknown): ReattributionProgress {
  if (typeof details === 'string') return { cursor: details, conversions: 0 };
  const progress = details as Partial<ReattributionProgress> | undefined;
  if (typeof progress?.cursor === 'string') return { cursor: progress.cursor, conversions: Number(progress.conversions) || 0 };
  return { cursor: '00000000-0000-0000-0000-000000000000', conversions: 0 };
}

/** `pageSize`: conversions per page of a re-attribution (REATTRIBUTION_PAGE_SIZE). */
export const createAttributionRefreshActivities = ({ orm, logger }: Pick<ActivityDeps, 'orm' | 'logger'>, options: { pageSize?: number } = {}) => ({
  /** Recomputes the Markov and Shapley channel weights over all paths and stores them. */
  async refreshAttributionWeights(): Promise<WeightsRefresh> {
    const em = orm.em.fork();
    const { lookbackMs } = await loadAttributionWindow(em.getConnection());
    const paths = await aggregatedPaths(em, new Date(), lookbackMs);
    const results = { markov: markovModel(paths), shapley: shapleyModel(paths) };
    await em.transactional(async (tx) => {
      const conn = tx;
      await conn.execute('delete from attribution_weights');
      for (const [model, result] of Object.entries(results)) {
        if (result.channels.length === 0) continue;
        await conn.execute(
          `insert into attribution_weights (model, channel, weight, computed_at)
           select ?, x.channel, x.weight, now() from unnest(?::text[], ?::float8[]) as x(channel, weight)`,
          [model, arrayLiteral(result.channels.map((c) => c.channel)), arrayLiteral(result.channels.map((c) => String(c.weight)))],
        );
      }
    });
    const summary = {
      paths: paths.length,
      conversions: paths.reduce((s, p) => s + p.conversions, 0),
      nonConverting: paths.reduce((s, p) => s + p.nulls, 0),
      channels: results.markov.channels.length,
    };
    logger.info({ msg: 'attribution weights refreshed', ...summary });
    return summary;
  },

  /**
   * Attributes every conversion again with the weights now stored, a page of conversions at a
   * time in id order (`reattributePage`: one transaction, a few statements per page), and
   * heartbeats its progress after each page, so a retry carries on after the last page written.
   */
  async reattributeConversions(): Promise<{ conversions: number }> {
    const em = orm.em.fork();
    const weights = await loadWeights(em);
    const context = Context.current();
    let progress = readProgress(context.info.heartbeatDetails);
    for (;;) {
      const page = await reattributePage(em, progress.cursor, options.pageSize ?? REATTRIBUTION_PAGE_SIZE, weights);
      if (!page) break;
      progress = { cursor: page.last, conversions: progress.conversions + page.attributed };
      context.heartbeat(progress);
    }
    logger.info({ msg: 'conversions attributed again', conversions: progress.conversions });
    return { conversions: progress.conversions };
  },
});

/** For the daily schedule: hands the refresh to its one workflow id (see refresh-request.ts). */
export const createRefreshRequestActivities = ({ temporal }: Pick<ActivityDeps, 'temporal'>) => ({
  async requestAttributionRefresh(): Promise<{ workflowId: string; runId: string }> {
    return startAttributionRefresh(temporal);
  },
});
