import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ATTRIBUTION_MODELS } from '@ce/attribution';
import { withPgClient } from '@ce/db';
import { FieldProblem, InputInvalidError } from '@ce/errors';
import { isDay } from '../common/input-checks';
import {
  BASE_CURRENCY,
  conversionFactorsSql,
  CURRENCY_CODES,
  CURRENCY_DIGITS,
  CurrencyPlaceholders,
  inReportSnapshot,
  lackingRatesSql,
  requireRates,
} from '../reports/currency-conversion';
import { participationFigures, ReportSums, ReportSumsRow, roiFigures } from '../reports/roi-math';
import { DEFAULT_MODEL } from '../reports/roi-query';
import { CampaignsService } from './campaigns.service';
import { CampaignReportDto, CampaignReportQuery } from './dto/campaign-report.dto';

/** The query of a campaign report, checked: days inclusive, null for no bound. */
export interface CampaignReportRange {
  from: string | null;
  to: string | null;
  model: string;
}

const MODELS: ReadonlySet<string> = new Set(ATTRIBUTION_MODELS);

/** Reads `model`, `from` and `to`, reporting every problem at once, each naming its parameter. */
export function parseCampaignReportQuery(raw: Readonly<CampaignReportQuery>): { query: CampaignReportRange | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  const model = text(raw.model) ?? DEFAULT_MODEL;
  if (!MODELS.has(model)) problems.push({ path: 'model', message: `must be one of ${ATTRIBUTION_MODELS.join(', ')}` });
  const from = text(raw.from);
  const to = text(raw.to);
  if (from !== null && !isDay(from)) problems.push({ path: 'from', message: 'must be a real calendar day as YYYY-MM-DD' });
  if (to !== null && !isDay(to)) problems.push({ path: 'to', message: 'must be a real calendar day as YYYY-MM-DD' });
  if (from !== null && to !== null && isDay(from) && isDay(to) && to < from) problems.push({ path: 'to', message: 'must be on or after from' });
  return problems.length > 0 ? { query: null, problems } : { query: { from, to, model }, problems };
}

const CURRENCY: CurrencyPlaceholders = { reporting: '$5', base: '$6', codes: '$7', digits: '$8' };

/*
 * The report's two statements, in one snapshot, read only roll-ups and costs, one campaign's over
 * the range: $1 campaign, $2 from and $3 to (dates; -infinity and infinity for no bound), $4 model,
 * $5 the campaign's currency, $6 the rates' currency; the report adds $7 currency codes and $8 their
 * minor digits. Each table is read by an index that starts with the campaign.
 */
const RATE_CHECK_SQL = lackingRatesSql(
  `select distinct currency, day from attribution_rollups
    where campaign_key = $1::uuid and day between $2::date and $3::date and model = $4::text and revenue_minor <> 0 and currency <> $5::text
   union
   select distinct currency, day from costs
    where campaign_id = $1::uuid and day between $2::date and $3::date and amount_minor <> 0 and currency <> $5::text`,
  CURRENCY,
);

const REPORT_SQL = `
with
earned as (
  select day, currency, conversions, revenue_minor as amount from attribution_rollups
   where campaign_key = $1::uuid and day between $2::date and $3::date and model = $4::text
),
spent as (
  select day, currency, amount_minor as amount from costs
   where campaign_id = $1::uuid and day between $2::date and $3::date
),
pairs as (select currency, day from earned union select currency, day from spent),
${conversionFactorsSql(CURRENCY)},
money as (
  select e.conversions, e.amount::numeric * f.factor as revenue, 0::numeric as cost, e.amount <> 0 and f.factor is null as unpriced
    from earned e join factors f on f.currency = e.currency and f.day = e.day
  union all
  select 0, 0, s.amount::numeric * f.factor, s.amount <> 0 and f.factor is null
    from spent s join factors f on f.currency = s.currency and f.day = s.day
),
took_part as (
  select coalesce(sum(enrolled), 0)::text as enrolled, coalesce(sum(delivered), 0)::text as delivered,
         coalesce(sum(opened), 0)::text as opened, coalesce(sum(clicked), 0)::text as clicked,
         coalesce(sum(engaged), 0)::text as engaged, coalesce(sum(reached), 0)::text as reached,
         coalesce(sum(new_leads), 0)::text as new_leads
    from participation_rollups
   where campaign_key = $1::uuid and day between $2::date and $3::date
)
select round(coalesce(sum(m.conversions), 0)::numeric, 4)::text as conversions,
       round(coalesce(sum(m.revenue), 0))::text as revenue_minor,
       round(coalesce(sum(m.cost), 0))::text as cost_minor,
       coalesce(bool_or(m.unpriced), false) as unpriced,
       p.*
  from took_part p left join money m on true
 group by p.enrolled, p.delivered, p.opened, p.clicked, p.engaged, p.reached, p.new_leads`;

/**
 * Participation, conversions, revenue, cost and the ratios between them for one campaign, in its
 * currency, under one attribution model, over a range or its whole life: from the participation
 * and attribution roll-ups and the costs, never the raw rows.
 */
@Injectable()
export class CampaignReportService {
  constructor(
    private readonly em: EntityManager,
    private readonly campaigns: CampaignsService,
  ) {}

  async report(id: string, raw: CampaignReportQuery = {}): Promise<CampaignReportDto> {
    const { query, problems } = parseCampaignReportQuery(raw);
    if (!query) throw new InputInvalidError(problems);
    const campaign = await this.campaigns.find(id);
    const currency = campaign.currency;
    const params = [campaign.id, query.from ?? '-infinity', query.to ?? 'infinity', query.model, currency, BASE_CURRENCY];
    // Both statements see one snapshot, so the rates checked are the rates used.
    const row = await withPgClient(this.em, (client) =>
      inReportSnapshot(client, async () => {
        await requireRates(client, RATE_CHECK_SQL, params, currency);
        return (await client.query<ReportSumsRow>(REPORT_SQL, [...params, CURRENCY_CODES, CURRENCY_DIGITS])).rows[0];
      }),
    );
    if (row.unpriced) throw new Error('An amount without a rate reached the campaign report after the rate check.');

    const sums: ReportSums = {
      conversions: row.conversions,
      revenueMinor: row.revenue_minor,
      costMinor: row.cost_minor,
      enrolled: row.enrolled,
      delivered: row.delivered,
      opened: row.opened,
      clicked: row.clicked,
      engaged: row.engaged,
      reached: row.reached,
      newLeads: row.new_leads,
    };
    const money = roiFigures(sums, currency);
    const participation = participationFigures(sums, currency);
    return {
      campaignId: campaign.id,
      currency,
      from: query.from,
      to: query.to,
      ...money,
      ...participation,
      sent: participation.delivered,
      converted: money.conversions,
      attribution: query.model,
    };
  }
}
