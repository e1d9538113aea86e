import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Campaign, CampaignAudience, Cost, Flow, Lead, Segment } from '@ce/db';
import { ConflictError, InputInvalidError, NotFoundError } from '@ce/errors';
import { formatMinor, parseMoney } from '@ce/money';
import { CampaignDto, CreateCampaignDto, UpdateCampaignDto } from './dto/campaign.dto';
import { CostDto, RecordCostDto } from './dto/cost.dto';

@Injectable()
export class CampaignsService {
  constructor(
    private readonly em: EntityManager,
  ) {}

  async create(input: CreateCampaignDto): Promise<CampaignDto> {
    const currency = input.currency ?? 'USD';
    const audience = await this.audience(input);
    const flow = await this.em.findOne(Flow, input.flowId);
    if (!flow) throw new InputInvalidError([{ path: 'flowId', message: `flow ${input.flowId} does not exist` }]);
    const cost = input.cost ? this.parseAmount(input.cost.amount, currency, 'cost.amount') : null;

    const endsAt = input.endsAt ? new Date(input.endsAt) : null;
    if (endsAt && endsAt.getTime() <= Date.now()) throw new InputInvalidError([{ path: 'endsAt', message: 'must be in the future' }]);
    const campaign = this.em.create(Campaign, {
      name: input.name,
      flow,
      channel: input.channel,
      audience,
      currency,
      endsAt,
      timeZone: input.timeZone ?? 'UTC',
      sendRatePerMinute: input.sendRatePerMinute ?? null,
    });
    if (cost !== null)
      this.em.create(Cost, { campaign, channel: input.channel, day: today(), amountMinor: cost.toString(), currency });
    await this.em.flush();
    return toDto(campaign);
  }

  async get(id: string): Promise<CampaignDto> {
    return toDto(await this.find(id));
  }

  async list(): Promise<CampaignDto[]> {
    const campaigns = await this.em.find(Campaign, {}, { orderBy: { createdAt: 'desc' }, limit: 500, populate: ['flowVersion'] });
    return campaigns.map(toDto);
  }

  /** Changes the name, end date or send rate (any time) and the time zone (before launch). */
  async update(id: string, input: UpdateCampaignDto): Promise<{ campaign: Campaign; endsAtChanged: boolean }> {
    const campaign = await this.find(id);
    if (campaign.status === 'completed' || campaign.status === 'cancelled')
      throw new ConflictError(`The campaign is ${campaign.status}; it can no longer change.`);
    if (input.timeZone !== undefined && campaign.status !== 'draft')
      throw new InputInvalidError([{ path: 'timeZone', message: 'can only change before launch' }]);
    const endsAt = input.endsAt === undefined ? undefined : input.endsAt === null ? null : new Date(input.endsAt);
    if (endsAt && endsAt.getTime() <= Date.now()) throw new InputInvalidError([{ path: 'endsAt', message: 'must be in the future' }]);
    if (input.name !== undefined) campaign.name = input.name;
    if (input.timeZone !== undefined) campaign.timeZone = input.timeZone;
    if (input.sendRatePerMinute !== undefined) campaign.sendRatePerMinute = input.sendRatePerMinute;
    const endsAtChanged = endsAt !== undefined && endsAt?.getTime() !== campaign.endsAt?.getTime();
    if (endsAt !== undefined) campaign.endsAt = endsAt;
    await this.em.flush();
    return { campaign, endsAtChanged };
  }

  async recordCost(id: string, input: RecordCostDto): Promise<CostDto> {
    const campaign = await this.find(id);
    const minor = this.parseAmount(input.amount, campaign.currency, 'amount');
    const channel = input.channel ?? campaign.channel;
    await this.em.getConnection().execute(
      `insert into costs (id, campaign_id, channel, day, amount_minor, currency)
       values (gen_random_uuid(), ?, ?, ?, ?, ?)
       on conflict (campaign_id, channel, day) do update set amount_minor = excluded.amount_minor`,
      [campaign.id, channel, input.day, minor.toString(), campaign.currency],
    );
    return { campaignId: campaign.id, channel, day: input.day, amount: formatMinor(minor, campaign.currency), currency: campaign.currency };
  }

  async find(id: string): Promise<Campaign> {
    const campaign = await this.em.findOne(Campaign, id, { populate: ['flowVersion'], refresh: true });
    if (!campaign) throw new NotFoundError('Campaign', id);
    return campaign;
  }

  private parseAmount(amount: string, currency: string, path: string): bigint {
    const money = parseMoney(amount, currency);
    if (!money) throw new InputInvalidError([{ path, message: `has more decimals than ${currency} allows` }]);
    return money.minor;
  }

  private async audience(input: CreateCampaignDto): Promise<CampaignAudience> {
    const { leadIds, segmentId } = input.audience;
    if ((leadIds === undefined) === (segmentId === undefined))
      throw new InputInvalidError([{ path: 'audience', message: 'give either leadIds or segmentId' }]);
    if (segmentId) {
      if ((await this.em.count(Segment, { id: segmentId })) === 0)
        throw new InputInvalidError([{ path: 'audience.segmentId', message: `segment ${segmentId} does not exist` }]);
      return { segmentId: segmentId.toLowerCase() };
    }
    const given = leadIds!.map((id) => id.toLowerCase());
    const unique = [...new Set(given)];
    await this.assertLeadsExist(unique, given);
    return { leadIds: unique };
  }

  private async assertLeadsExist(unique: string[], given: string[]): Promise<void> {
    const found = new Set<string>();
    for (let i = 0; i < unique.length; i += 10_000) {
      const rows = await this.em.find(Lead, { id: { $in: unique.slice(i, i + 10_000) } }, { fields: ['id'] });
      rows.forEach((lead) => found.add(lead.id));
    }
    const missing = given
      .map((id, index) => ({ id, index }))
      .filter(({ id }) => !found.has(id))
      .slice(0, 50)
      .map(({ id, index }) => ({ path: `audience.leadIds[${index}]`, message: `lead ${id} does not exist` }));
    if (missing.length > 0) throw new InputInvalidError(missing, 'Some audience leads do not exist.');
  }
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Leads in the audience: the segment snapshot once launched, else the explicit list's length. */
export function audienceSize(campaign: Campaign): number | null {
  return campaign.audienceSize ?? campaign.audience.leadIds?.length ?? null;
}

export function toDto(campaign: Campaign): CampaignDto {
  return {
    id: campaign.id,
    name: campaign.name,
    flowId: campaign.flow.id,
    flowVersion: campaign.flowVersion?.version ?? null,
    channel: campaign.channel,
    status: campaign.status,
    audienceSize: audienceSize(campaign),
    segmentId: campaign.audience.segmentId ?? null,
    currency: campaign.currency,
    launchedAt: campaign.launchedAt,
    scheduledAt: campaign.scheduledAt,
    endsAt: campaign.endsAt,
    endedAt: campaign.endedAt,
    pausedAt: campaign.pausedAt,
    timeZone: campaign.timeZone,
    sendRatePerMinute: campaign.sendRatePerMinute,
    createdAt: campaign.createdAt,
  };
}
