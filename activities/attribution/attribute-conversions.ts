import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import { attributeConversion, CreditRow, DataDrivenModel, DATA_DRIVEN_MODELS, Touch } from '@ce/attribution';
import { arrayLiteral, AttributionWindow, inPgTransaction, loadAttributionWindow, withPgClient } from '@ce/db';

/** The channel weights of the data-driven models, as last computed; a model never computed is absent. */
export type ChannelWeights = Partial<Record<DataDrivenModel, ReadonlyMap<string, number>>>;

export interface AttributionSummary {
  conversionId: string;
  touches: number;
  credits: number;
  /** True when the conversion no longer exists. */
  gone?: boolean;
}

interface ConversionRow {
  id: string;
  lead_id: string;
  value_minor: string;
  currency: string;
  occurred_at: string | Date;
  lead_created_at: string | Date;
}

interface TouchRow {
  conversion_id: string;
  id: string;
  channel: string;
  campaign_id: string | null;
  at: string | Date;
}

type StoredCredit = CreditRow & { conversionId: string; channel: string; campaignId: string | null; currency: string; convertedAt: Date };

/** The stored channel weights of the data-driven models. */
export async function loadWeights(em: EntityManager): Promise<ChannelWeights> {
  const rows = await em.getConnection().execute<{ model: DataDrivenModel; channel: string; weight: number }[]>(
    'select model, channel, weight from attribution_weights where model = any(?::text[])',
    [arrayLiteral([...DATA_DRIVEN_MODELS])],
  );
  const weights: Partial<Record<DataDrivenModel, Map<string, number>>> = {};
  for (const row of rows) (weights[row.model] ??= new Map()).set(row.channel, Number(row.weight));
  return weights;
}

/**
 * Credits conversions under every model, replacing what they had, in one transaction that holds
 * their rows (locked in id order), so that two attributions of one conversion never interleave
 * and a change read here cannot be overwritten by an older reading. For all of them at once:
 * one query for the conversions and their leads, one for the attribution settings (look-back
 * window, half-life), one for the touchpoints in their look-back windows, one for the moments
 * their leads became opportunities; the credits are computed in memory by `attributeConversion`,
 * then written in two statements (`replaceCredits`). Both roll-ups follow by themselves:
 * triggers on the credits table add and take away each statement's sums (migrations
 * `attribution_rollup_triggers`, `attribution_channel_rollups`). Conversions that no longer
 * exist are left out of the answer; the others come in id order.
 */
export async function attributeConversions(em: EntityManager, conversionIds: readonly string[], weights: ChannelWeights): Promise<AttributionSummary[]> {
  if (conversionIds.length === 0) return [];
  return withPgClient(em, (client) =>
    inPgTransaction(client, async () => {
      const conversions = await lockConversions(client, conversionIds);
      if (conversions.length === 0) return [];
      const window = await loadAttributionWindow(client);
      const touches = await touchesInWindows(client, conversions, window.lookbackMs);
      const opportunities = await opportunityMoments(client, [...new Set(conversions.map((c) => c.lead_id))]);
      const credits: StoredCredit[] = [];
      const summaries = conversions.map((conversion): AttributionSummary => {
        const mine = touches.get(conversion.id) ?? [];
        const rows = creditsOf(conversion, mine, opportunities.get(conversion.lead_id), weights, window);
        credits.push(...rows);
        return { conversionId: conversion.id, touches: mine.length, credits: rows.length };
      });
      await replaceCredits(client, conversions.map((c) => c.id), credits);
      return summaries;
    }),
  );
}

async function lockConversions(client: ClientBase, ids: readonly string[]): Promise<ConversionRow[]> {
  const { rows } = await client.query<ConversionRow>(
    `select c.id, c.lead_id, c.value_minor, c.currency, c.occurred_at, l.created_at as lead_created_at
     from conversions c join leads l on l.id = c.lead_id
     where c.id = any($1::uuid[]) order by c.id for update of c`,
    [ids],
  );
  return rows;
}

/** Each conversion's touchpoints from its look-back window up to its moment, in time order (then id). */
async function touchesInWindows(client: ClientBase, conversions: readonly ConversionRow[], lookbackMs: number): Promise<Map<string, TouchRow[]>> {
  const at = conversions.map((c) => new Date(c.occurred_at).getTime());
  const { rows } = await client.query<TouchRow>(
    `select x.conversion_id, t.id, t.channel, t.campaign_id, t.occurred_at as at
     from unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[]) as x(conversion_id, lead_id, since, until)
     join touchpoints t on t.lead_id = x.lead_id and t.occurred_at <= x.until and t.occurred_at >= x.since
     order by x.conversion_id, t.occurred_at, t.id`,
    [conversions.map((c) => c.id), conversions.map((c) => c.lead_id), at.map((ms) => new Date(ms - lookbackMs)), at.map((ms) => new Date(ms))],
  );
  const byConversion = new Map<string, TouchRow[]>();
  for (const row of rows) {
    const list = byConversion.get(row.conversion_id);
    if (list) list.push(row);
    else byConversion.set(row.conversion_id, [row]);
  }
  return byConversion;
}

/** When each lead first became an opportunity (its first stage change to `opportunity`), for those that did. */
async function opportunityMoments(client: ClientBase, leadIds: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await client.query<{ lead_id: string; at: string | Date }>(
    `select distinct on (lead_id) lead_id, occurred_at as at from lead_events
     where lead_id = any($1::uuid[]) and type = 'stage_changed' and data ->> 'to' = 'opportunity'
     order by lead_id, occurred_at`,
    [leadIds],
  );
  return new Map(rows.map((r) => [r.lead_id, new Date(r.at).getTime()]));
}

/**
 * One conversion's credits: its touches with the lead-creation and opportunity-creation touches
 * marked (W-shaped), the data-driven weights, the settings' look-back window and half-life.
 */
function creditsOf(
  conversion: ConversionRow,
  touches: readonly TouchRow[],
  opportunityAt: number | undefined,
  weights: ChannelWeights,
  window: AttributionWindow,
): StoredCredit[] {
  const at = new Date(conversion.occurred_at).getTime();
  const list: Touch[] = touches.map((t) => ({ id: t.id, channel: t.channel, at: new Date(t.at).getTime(), direct: t.channel === 'direct' }));
  markKeyTouch(list, new Date(conversion.lead_created_at).getTime(), 'leadCreation');
  if (opportunityAt !== undefined) markKeyTouch(list, opportunityAt, 'opportunityCreation');
  const byId = new Map(touches.map((t) => [t.id, t]));
  const convertedAt = new Date(at);
  return attributeConversion({ at, valueMinor: BigInt(conversion.value_minor) }, list, { halfLifeMs: window.halfLifeMs, lookbackMs: window.lookbackMs, weights }).map((row) => {
    const touch = byId.get(row.touchId)!;
    return { ...row, conversionId: conversion.id, channel: touch.channel, campaignId: touch.campaign_id, currency: conversion.currency, convertedAt };
  });
}

/** The last touch at or before a moment (the lead's creation, the opportunity's) holds that role; with none before it, the first touch. */
function markKeyTouch(touches: Touch[], moment: number, role: 'leadCreation' | 'opportunityCreation'): void {
  if (touches.length === 0) return;
  let index = -1;
  for (let i = 0; i < touches.length; i++) if (touches[i].at <= moment) index = i;
  touches[index >= 0 ? index : 0][role] = true;
}

/**
 * Replaces the credits of the conversions with `credits` in two statements, whatever their
 * number, writing only what changed: the first deletes the stored credits that are not among
 * the new ones as they are (every column equal), the second inserts the new credits not stored
 * yet. What is left in between is equal to the new credits, so an insert that finds a credit
 * already there has nothing to change. After a weights refresh only the data-driven models'
 * credits move, and the roll-up triggers see only those.
 */
async function replaceCredits(client: ClientBase, conversionIds: readonly string[], credits: readonly StoredCredit[]): Promise<void> {
  const column = <T>(pick: (c: StoredCredit) => T) => credits.map(pick);
  const fresh = [
    column((c) => c.conversionId),
    column((c) => c.model),
    column((c) => c.touchId),
    column((c) => c.campaignId),
    column((c) => c.channel),
    column((c) => c.credit),
    column((c) => c.revenueMinor.toString()),
    column((c) => c.currency),
    column((c) => c.convertedAt),
  ];
  const FRESH = `unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::float8[], $7::bigint[], $8::text[], $9::timestamptz[])
                 as n(conversion_id, model, touchpoint_id, campaign_id, channel, credit, revenue_minor, currency, converted_at)`;
  await client.query(
    `delete from attribution_credits a
     where a.conversion_id = any($10::uuid[])
       and not exists (select 1 from ${FRESH}
                        where n.conversion_id = a.conversion_id and n.model = a.model and n.touchpoint_id = a.touchpoint_id
                          and n.campaign_id is not distinct from a.campaign_id and n.channel = a.channel and n.credit = a.credit
                          and n.revenue_minor = a.revenue_minor and n.currency = a.currency and n.converted_at = a.converted_at)`,
    [...fresh, conversionIds],
  );
  if (credits.length === 0) return;
  await client.query(
    `insert into attribution_credits (conversion_id, model, touchpoint_id, campaign_id, channel, credit, revenue_minor, currency, converted_at)
     select * from ${FRESH}
     on conflict (conversion_id, model, touchpoint_id) do nothing`,
    fresh,
  );
}

/**
 * Attributes again the next `size` conversions after `after` in id order (keyset paging);
 * answers the last id of the page and how many were attributed, or null when none are left.
 */
export async function reattributePage(
  em: EntityManager,
  after: string,
  size: number,
  weights: ChannelWeights,
): Promise<{ last: string; attributed: number } | null> {
  const page = await em.getConnection().execute<{ id: string }[]>('select id from conversions where id > ? order by id limit ?', [after, size]);
  if (page.length === 0) return null;
  const summaries = await attributeConversions(em, page.map((r) => r.id), weights);
  return { last: page[page.length - 1].id, attributed: summaries.length };
}
