import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Conversion, Lead, loadAttributionWindow, Touchpoint } from '@ce/db';
import { InputInvalidError } from '@ce/errors';
import { formatMinor, parseMoney } from '@ce/money';
import { AttributionRequests } from '../temporal/attribution-requests.service';
import { JourneySignals } from '../temporal/journey-signals.service';
import { ConversionDto, CreateConversionDto } from './dto/conversion.dto';

@Injectable()
export class ConversionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly journeys: JourneySignals,
    private readonly attribution: AttributionRequests,
  ) {}

  /**
   * Records a conversion and notes the campaign of the lead's last campaign touchpoint in the
   * look-back window (the attribution settings'). Idempotent by external id.
   */
  async create(input: CreateConversionDto): Promise<ConversionDto> {
    if (input.externalId) {
      const existing = await this.em.findOne(Conversion, { externalId: input.externalId });
      if (existing) return toDto(existing);
    }
    const lead = await this.em.findOne(Lead, input.leadId.toLowerCase());
    if (!lead) throw new InputInvalidError([{ path: 'leadId', message: `lead ${input.leadId} does not exist` }]);
    const money = parseMoney(input.value, input.currency);
    if (!money) throw new InputInvalidError([{ path: 'value', message: `has more decimals than ${input.currency} allows` }]);
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : new Date();

    const { lookbackMs } = await loadAttributionWindow(this.em.getConnection());
    const lastTouch = await this.em.findOne(
      Touchpoint,
      {
        lead,
        campaign: { $ne: null },
        occurredAt: { $lte: occurredAt, $gte: new Date(occurredAt.getTime() - lookbackMs) },
      },
      { orderBy: { occurredAt: 'desc' } },
    );

    const rows = await this.em.getConnection().execute<{ id: string }[]>(
      `insert into conversions (id, lead_id, campaign_id, type, value_minor, currency, occurred_at, external_id)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?)
       on conflict (external_id) do nothing
       returning id`,
      [lead.id, lastTouch?.campaign?.id ?? null, input.type ?? 'purchase', money.minor.toString(), input.currency, occurredAt, input.externalId ?? null],
    );
    if (rows.length === 0) return toDto(await this.em.findOneOrFail(Conversion, { externalId: input.externalId! }));
    // A new conversion reaches the lead's journeys (their exit rules, steps waiting for it) and is attributed.
    await this.journeys.toLead(lead.id, { type: 'converted', occurredAt: occurredAt.toISOString() });
    await this.attribution.attribute([rows[0].id]);
    return toDto(await this.em.findOneOrFail(Conversion, rows[0].id));
  }
}

function toDto(c: Conversion): ConversionDto {
  return {
    id: c.id,
    leadId: c.lead.id,
    campaignId: c.campaign?.id ?? null,
    type: c.type,
    value: formatMinor(c.valueMinor, c.currency),
    currency: c.currency,
    occurredAt: c.occurredAt,
    externalId: c.externalId,
  };
}
