import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ATTRIBUTION_MODELS } from '@ce/attribution';
import { FieldProblem, InputInvalidError } from '@ce/errors';
import {
  BASE_CURRENCY,
  conversionFactorsSql,
  CURRENCY_CODES,
  CURRENCY_DIGITS,
  CurrencyPlaceholders,
  lackingRatesSql,
  queryConverted,
} from '../reports/currency-conversion';
import { queryReader, readOpenDayRange } from '../reports/report-query';
import { inReportSnapshot } from '../reports/report-snapshot';
import { reportFigures, ReportSumsRow, sumsOfRow } from '../reports/roi-math';
import { DEFAULT_MODEL } from '../reports/roi-query';
import { CampaignsService } from './campaigns.service';
import { CampaignReportDto, CampaignReportQuery } from './dto/campaign-report.dto';

/** The query of a campaign report, checked: days inclusive, null for no bound. */
export interface CampaignReportRange {
  from: string | null;
  to: string | null;
  model: string;
}

/** Reads `model`, `from` and `to`, reporting every problem at once, each naming its parameter. */
export function parseCampaignReportQuery(raw: Readonly<Record<string, unknown>>): { query: CampaignReportRange | null; problems: FieldProblem[] } {
  const q = queryReader(raw);
  const model = q.text('model') ?? DEFAULT_MODEL;
  if (!(ATTRIBUTION_MODELS as readonly string[]).includes(model)) q.fail('model', `must be one of ${ATTRIBUTION_MODELS.join(', ')}`);
  const range = readOpenDayRange(q);
  if (q.problems.length > 0) return { query: null, problems: q.problems };
  return { query: { ...range!, model }, problems: [] };
}

const CURRENCY: CurrencyPlaceholders = { reporting: '$5', base: '$6', codes: '$7', digits: '$8' };

/*
 * The report's two statements (the report, then the rate check only when the report met an
 * amount without a rate), in one snapshot, read only roll-ups and costs, one campaign's over
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
    const { query, problems } = parseCampaignReportQuery({ ...raw });
    if (!query) throw new InputInvalidError(problems);
    const campaign = await this.campaigns.find(id);
    const currency = campaign.currency;
    const params = [campaign.id, query.from ?? '-infinity', query.to ?? 'infinity', query.model, currency, BASE_CURRENCY];
    const [row] = await inReportSnapshot(this.em, async (client) => {
      return queryConverted<ReportSumsRow>(client, REPORT_SQL, [...params, CURRENCY_CODES, CURRENCY_DIGITS], { sql: RATE_CHECK_SQL, params, currency });
    });
    const figures = reportFigures(sumsOfRow(row), currency);
    return {
      campaignId: campaign.id,
      from: query.from,
      to: query.to,
      ...figures,
      sent: figures.delivered,
      converted: figures.conversions,
      attribution: query.model,
    };
  }
}
