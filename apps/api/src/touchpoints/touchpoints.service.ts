import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { withPgClient } from '@ce/db';
import { ChannelTaxonomy } from '../channel-rules/channel-taxonomy';
import { AttributionRequests } from '../temporal/attribution-requests.service';
import { IdentifyResultDto, IngestItemResultDto, IngestResultDto } from './dto/touchpoint.dto';
import { parseIdentify, parseTouchpointBatch } from './touchpoint-input';
import { planBatch } from './touchpoint-plan';
import {
  campaignsByUtm,
  conversionsToReattribute,
  existingCampaigns,
  insertTouchpoints,
  inTransaction,
  joinVisitors,
  leadKey,
  LeadTouch,
  resolveLeads,
} from './touchpoint-store';
import { TouchpointsInvalidError } from './touchpoints.errors';

@Injectable()
export class TouchpointsService {
  constructor(
    private readonly em: EntityManager,
    private readonly attribution: AttributionRequests,
    private readonly channels: ChannelTaxonomy,
  ) {}

  /**
   * Stores a batch of touchpoints from any channel, all or nothing: an invalid item refuses the
   * whole batch, with every problem listed. Touchpoints are idempotent by external id. Visitors
   * that turn out to be leads get their anonymous touchpoints joined to the lead, and the
   * conversions whose look-back window gained a touchpoint are attributed again.
   */
  async ingest(body: unknown): Promise<IngestResultDto> {
    const { items, problems } = parseTouchpointBatch(body, new Date());
    if (problems.length > 0) throw new TouchpointsInvalidError(problems);
    const channelRules = await this.channels.rules();

    // Leads and campaigns are looked up inside the transaction and held (for key share), so
    // none can vanish between the look-up and the insert.
    const outcome = await withPgClient(this.em, (client) =>
      inTransaction(client, async () => {
        // One query per kind of reference, whatever the size of the batch.
        const leads = await resolveLeads(client, items.flatMap((i) => (i.lead ? [i.lead] : [])));
        const campaignIds = await existingCampaigns(client, items.flatMap((i) => (i.campaignId ? [i.campaignId] : [])));
        const byUtm = await campaignsByUtm(client, items.flatMap((i) => (!i.campaignId && i.utm?.campaign ? [i.utm.campaign] : [])));
        const plan = planBatch(items, { leads, campaignIds, campaignsByUtm: byUtm }, channelRules);
        if (plan.problems.length > 0) throw new TouchpointsInvalidError(plan.problems);

        const stored = await insertTouchpoints(client, plan.rows.map((r) => r.row));
        const joined = await joinVisitors(client, plan.visitors);
        const withLead: LeadTouch[] = stored.flatMap((s) => (s.leadId ? [{ id: s.id, leadId: s.leadId, occurredAt: s.occurredAt }] : []));
        const conversions = await conversionsToReattribute(client, [...withLead, ...joined]);
        return { plan, stored, joined, conversions };
      }),
    );

    const { plan, stored, joined, conversions } = outcome;
    await this.attribution.attribute(conversions);

    const storedIds = new Set(stored.map((s) => s.externalId));
    const joinedIds = new Set(joined.map((j) => j.id));
    const results: IngestItemResultDto[] = plan.duplicates.map((index) => ({ index, outcome: 'duplicate' as const }));
    for (const { index, row, unmatched } of plan.rows) {
      if (!storedIds.has(row.externalId)) results.push({ index, outcome: 'duplicate' });
      else if (unmatched) results.push({ index, outcome: 'anonymous', detail: unmatched });
    }
    results.sort((a, b) => a.index - b.index);
    return {
      counts: {
        received: items.length,
        accepted: stored.length,
        duplicates: items.length - stored.length,
        anonymous: stored.filter((s) => s.leadId === null && !joinedIds.has(s.id)).length,
        joined: joined.length,
        reattributed: conversions.length,
      },
      results,
    };
  }

  /** Gives a visitor's anonymous touchpoints to a lead, and attributes the lead's affected conversions again. */
  async identify(body: unknown): Promise<IdentifyResultDto> {
    const { input, problems } = parseIdentify(body);
    if (!input) throw new TouchpointsInvalidError(problems, 'The identification is not valid.');

    const outcome = await withPgClient(this.em, (client) =>
      inTransaction(client, async () => {
        const leadId = (await resolveLeads(client, [input.lead])).get(leadKey(input.lead));
        if (!leadId) throw new TouchpointsInvalidError([{ path: input.lead.path, message: 'matches no lead' }], 'The identification is not valid.');
        const joined = await joinVisitors(client, new Map([[input.visitorId, leadId]]));
        return { leadId, joined, conversions: await conversionsToReattribute(client, joined) };
      }),
    );

    await this.attribution.attribute(outcome.conversions);
    return { leadId: outcome.leadId, joined: outcome.joined.length, reattributed: outcome.conversions.length };
  }
}
