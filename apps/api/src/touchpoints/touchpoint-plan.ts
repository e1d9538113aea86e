import { COMPILED_DEFAULT_CHANNEL_RULES, CompiledChannelRule } from '@ce/attribution';
import type { FieldProblem } from '@ce/errors';
import { touchpointChannel } from './touchpoint-channel';
import type { TouchpointInput } from './touchpoint-input';
import { leadKey, TouchpointRow } from './touchpoint-store';

/** What the database said about the leads and campaigns a batch names. */
export interface BatchLookups {
  /** Lead reference key (see `leadKey`) → lead id. */
  leads: ReadonlyMap<string, string>;
  /** Campaign ids that exist. */
  campaignIds: ReadonlySet<string>;
  /** utm.campaign value → campaign id. */
  campaignsByUtm: ReadonlyMap<string, string>;
}

export interface BatchPlan {
  /**
   * The rows to write, with the position of the item each comes from and, for an item kept
   * anonymous because its lead was not found, why.
   */
  rows: { index: number; row: TouchpointRow; unmatched?: string }[];
  /** Problems only the lookups could find (a lead or campaign that does not exist). */
  problems: FieldProblem[];
  /** Items whose external id came earlier in the request. */
  duplicates: number[];
  /** Visitor id → the lead it turned out to be. */
  visitors: Map<string, string>;
}

/**
 * Turns checked items into rows: leads and campaigns resolved, channels decided. An item whose
 * lead is not found is kept under its visitor id, or refused when it has none; an item whose
 * external id came earlier in the request is a duplicate. When one visitor is named with several
 * leads, the lead of its latest touchpoint is the one the visitor turned out to be. Channels come
 * from `channelRules`: the operator's rules, then the defaults.
 */
export function planBatch(
  items: readonly TouchpointInput[],
  lookups: BatchLookups,
  channelRules: readonly CompiledChannelRule[] = COMPILED_DEFAULT_CHANNEL_RULES,
): BatchPlan {
  const plan: BatchPlan = { rows: [], problems: [], duplicates: [], visitors: new Map() };
  const seen = new Set<string>();
  const latestByVisitor = new Map<string, { at: number; leadId: string }>();
  for (const item of items) {
    const leadId = item.lead ? lookups.leads.get(leadKey(item.lead)) ?? null : null;
    let unmatched: string | undefined;
    if (item.lead && !leadId) {
      if (!item.visitorId) {
        plan.problems.push({ path: item.lead.path, message: 'matches no lead; add a visitorId to keep the touchpoint as anonymous' });
        continue;
      }
      unmatched = `${item.lead.path.slice(item.lead.path.lastIndexOf('.') + 1)} matches no lead; kept under the visitorId`;
    }
    let campaignId: string | null = null;
    if (item.campaignId) {
      if (!lookups.campaignIds.has(item.campaignId)) {
        plan.problems.push({ path: `touchpoints[${item.index}].campaignId`, message: 'matches no campaign' });
        continue;
      }
      campaignId = item.campaignId;
    } else if (item.utm?.campaign) {
      campaignId = lookups.campaignsByUtm.get(item.utm.campaign) ?? null;
    }
    if (leadId && item.visitorId) {
      const at = item.occurredAt.getTime();
      const current = latestByVisitor.get(item.visitorId);
      if (!current || at >= current.at) latestByVisitor.set(item.visitorId, { at, leadId });
    }
    if (seen.has(item.externalId)) {
      plan.duplicates.push(item.index);
      continue;
    }
    seen.add(item.externalId);
    plan.rows.push({
      index: item.index,
      row: {
        externalId: item.externalId,
        leadId,
        visitorId: item.visitorId,
        source: item.utm?.source ?? null,
        medium: item.utm?.medium ?? null,
        utmCampaign: item.utm?.campaign ?? null,
        campaignId,
        channel: touchpointChannel({ channel: item.channel, type: item.type, utm: item.utm }, channelRules),
        type: item.type,
        occurredAt: item.occurredAt,
        url: item.url,
        properties: item.properties,
      },
      ...(unmatched ? { unmatched } : {}),
    });
  }
  for (const [visitorId, { leadId }] of latestByVisitor) plan.visitors.set(visitorId, leadId);
  return plan;
}
