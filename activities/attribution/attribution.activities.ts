import type { EntityManager } from '@mikro-orm/postgresql';
import { Context } from '@temporalio/activity';
import {
  attributeConversion,
  CreditRow,
  DataDrivenModel,
  DATA_DRIVEN_MODELS,
  DEFAULT_HALF_LIFE_MS,
  DEFAULT_LOOKBACK_MS,
  markovModel,
  PathStats,
  shapleyModel,
  Touch,
} from '@ce/attribution';
import { arrayLiteral } from '@ce/db';
import type { ActivityDeps } from '../deps';

export interface AttributeConversionInput {
  conversionId: string;
}

export interface AttributionSummary {
  conversionId: string;
  touches: number;
  credits: number;
  /** True when the conversion no longer exists. */
  gone?: boolean;
}

interface TouchRow {
  id: string;
  channel: string;
  campaign_id: string | null;
  at: string | Date;
}

/** The channel weights of the data-driven models, as last computed; a model never computed is absent. */
async function loadWeights(em: EntityManager): Promise<Partial<Record<DataDrivenModel, Map<string, number>>>> {
  const rows = await em.getConnection().execute<{ model: DataDrivenModel; channel: string; weight: number }[]>(
    'select model, channel, weight from attribution_weights where model = any(?::text[])',
    [arrayLiteral([...DATA_DRIVEN_MODELS])],
  );
  const weights: Partial<Record<DataDrivenModel, Map<string, number>>> = {};
  for (const row of rows) (weights[row.model] ??= new Map()).set(row.channel, Number(row.weight));
  return weights;
}

/**
 * Writes a conversion's credits under every model, replacing what was there, in one transaction
 * holding the conversion's row, so two attributions of one conversion never interleave. The
 * roll-ups follow by themselves: triggers on the credits table add and take away each
 * statement's sums (migration `attribution_rollup_triggers`), whatever deletes or changes credits.
 */
export async function writeCredits(em: EntityManager, conversionId: string, currency: string, convertedAt: Date, rows: (CreditRow & { channel: string; campaignId: string | null })[]): Promise<void> {
  await em.transactional(async (tx) => {
    const conn = tx.getConnection();
    await conn.execute('select id from conversions where id = ? for update', [conversionId]);
    await conn.execute('delete from attribution_credits where conversion_id = ?', [conversionId]);
    if (rows.length === 0) return;
    const column = (pick: (r: (typeof rows)[number]) => string) => arrayLiteral(rows.map(pick));
    await conn.execute(
      `insert into attribution_credits (conversion_id, model, touchpoint_id, campaign_id, channel, credit, revenue_minor, currency, converted_at)
       select ?, x.model, x.touchpoint_id, nullif(x.campaign_id, '')::uuid, x.channel, x.credit, x.revenue, ?, ?
       from unnest(?::text[], ?::uuid[], ?::text[], ?::text[], ?::float8[], ?::bigint[]) as x(model, touchpoint_id, campaign_id, channel, credit, revenue)`,
      [
        conversionId,
        currency,
        convertedAt,
        column((r) => r.model),
        column((r) => r.touchId),
        column((r) => r.campaignId ?? ''),
        column((r) => r.channel),
        column((r) => String(r.credit)),
        column((r) => r.revenueMinor.toString()),
      ],
    );
  });
}

/**
 * Credits one conversion under every model: the lead's touchpoints in the look-back window, the
 * touch at which the lead was created and the one at which it became an opportunity (W-shaped),
 * the data-driven models' channel weights. Running it again (a late touchpoint, new weights)
 * replaces the credits. Null when the conversion no longer exists.
 */
export async function attributeOne(em: EntityManager, conversionId: string, weights: Partial<Record<DataDrivenModel, Map<string, number>>>): Promise<AttributionSummary | null> {
  const conn = em.getConnection();
  const [conversion] = await conn.execute<{ lead_id: string; value_minor: string; currency: string; occurred_at: string | Date; lead_created_at: string | Date }[]>(
    `select c.lead_id, c.value_minor, c.currency, c.occurred_at, l.created_at as lead_created_at
     from conversions c join leads l on l.id = c.lead_id where c.id = ?`,
    [conversionId],
  );
  if (!conversion) return null;
  const at = new Date(conversion.occurred_at).getTime();
  const touches = await conn.execute<TouchRow[]>(
    `select id, channel, campaign_id, occurred_at as at from touchpoints
     where lead_id = ? and occurred_at <= ? and occurred_at >= ? order by occurred_at, id`,
    [conversion.lead_id, new Date(at), new Date(at - DEFAULT_LOOKBACK_MS)],
  );
  const [opportunity] = await conn.execute<{ at: string | Date }[]>(
    `select occurred_at as at from lead_events where lead_id = ? and type = 'stage_changed' and data ->> 'to' = 'opportunity' order by occurred_at limit 1`,
    [conversion.lead_id],
  );
  const list: Touch[] = touches.map((t) => ({ id: t.id, channel: t.channel, at: new Date(t.at).getTime(), direct: t.channel === 'direct' }));
  markKeyTouch(list, new Date(conversion.lead_created_at).getTime(), 'leadCreation');
  if (opportunity) markKeyTouch(list, new Date(opportunity.at).getTime(), 'opportunityCreation');

  const rows = attributeConversion({ at, valueMinor: BigInt(conversion.value_minor) }, list, { halfLifeMs: DEFAULT_HALF_LIFE_MS, weights });
  const byId = new Map(touches.map((t) => [t.id, t]));
  await writeCredits(
    em,
    conversionId,
    conversion.currency,
    new Date(at),
    rows.map((r) => ({ ...r, channel: byId.get(r.touchId)!.channel, campaignId: byId.get(r.touchId)!.campaign_id })),
  );
  return { conversionId, touches: list.length, credits: rows.length };
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

/** The last touch at or before a moment (the lead's creation, the opportunity's) holds that role; with none before it, the first touch. */
function markKeyTouch(touches: Touch[], moment: number, role: 'leadCreation' | 'opportunityCreation'): void {
  if (touches.length === 0) return;
  let index = -1;
  for (let i = 0; i < touches.length; i++) if (touches[i].at <= moment) index = i;
  touches[index >= 0 ? index : 0][role] = true;
}

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

export const createAttributionRefreshActivities = ({ orm, logger }: Pick<ActivityDeps, 'orm' | 'logger'>) => ({
  /** Recomputes the Markov and Shapley channel weights over all paths and stores them. */
  async refreshAttributionWeights(): Promise<WeightsRefresh> {
    const em = orm.em.fork();
    const paths = await aggregatedPaths(em, new Date());
    const results = { markov: markovModel(paths), shapley: shapleyModel(paths) };
    await em.transactional(async (tx) => {
      const conn = tx.getConnection();
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
   * Attributes every conversion again with the weights now stored, page by page in id order,
   * heartbeating the last id so a retry carries on where this attempt stopped.
   */
  async reattributeConversions(): Promise<{ conversions: number }> {
    const em = orm.em.fork();
    const weights = await loadWeights(em);
    let cursor: string = Context.current().info.heartbeatDetails ?? '00000000-0000-0000-0000-000000000000';
    let done = 0;
    for (;;) {
      const page = await em.getConnection().execute<{ id: string }[]>('select id from conversions where id > ? order by id limit 200', [cursor]);
      if (page.length === 0) break;
      for (const { id } of page) await attributeOne(em, id, weights);
      done += page.length;
      cursor = page[page.length - 1].id;
      em.clear();
      Context.current().heartbeat(cursor);
    }
    logger.info({ msg: 'conversions attributed again', conversions: done });
    return { conversions: done };
  },
});
