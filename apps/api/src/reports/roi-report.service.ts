import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { NO_CAMPAIGN, withPgClient } from '@ce/db';
import { InputInvalidError } from '@ce/errors';
import { BASE_CURRENCY, CURRENCY_CODES, CURRENCY_DIGITS, inReportSnapshot, requireRates } from './currency-conversion';
import { RoiReportDto, RoiReportQuery, RoiRowDto, RoiTotalDto } from './dto/roi-report.dto';
import { compareRows, completeGrid, GroupKey, KeyedSums, roiFigures, RoiSums, ZERO_SUMS } from './roi-math';
import { GroupBy, parseRoiQuery, ReportFormat, RoiQuery } from './roi-query';
import { RATE_CHECK_SQL, roiReportSql } from './roi-report.sql';

export interface ReportRow {
  campaign_key?: string | null;
  campaign_name?: string | null;
  channel?: string | null;
  model: string;
  total: boolean;
  conversions: string;
  revenue_minor: string;
  cost_minor: string;
  unpriced: boolean;
}

export const NO_CAMPAIGN_NAME = '(no campaign)';

/** Conversions, revenue, cost and the ratios between them, by campaign and/or channel, per model. */
@Injectable()
export class RoiReportService {
  constructor(private readonly em: EntityManager) {}

  async report(raw: RoiReportQuery): Promise<{ format: ReportFormat; report: RoiReportDto }> {
    const { query, problems } = parseRoiQuery({ ...raw });
    if (!query) throw new InputInvalidError(problems);
    const params = [query.from, query.to, query.models, query.currency, BASE_CURRENCY];
    // Both statements see one snapshot, so the rates checked are the rates used.
    const rows = await withPgClient(this.em, (client) =>
      inReportSnapshot(client, async () => {
        await requireRates(client, RATE_CHECK_SQL, params, query.currency);
        return (await client.query<ReportRow>(roiReportSql(query.groupBy), [...params, CURRENCY_CODES, CURRENCY_DIGITS])).rows;
      }),
    );
    // Cannot happen after the check in the same snapshot; a wrong number must never go out.
    if (rows.some((r) => r.unpriced)) throw new Error('An amount without a rate reached the ROI report after the rate check.');
    return { format: query.format, report: assemble(query, rows) };
  }
}

/** The report from the statement's rows: a full grid of groups × models, sorted, and the totals. */
export function assemble(query: RoiQuery, rows: readonly ReportRow[]): RoiReportDto {
  const sums = (r: ReportRow): RoiSums => ({ conversions: r.conversions, revenueMinor: r.revenue_minor, costMinor: r.cost_minor });
  const keyed: KeyedSums[] = rows.filter((r) => !r.total).map((r) => ({ key: groupKey(query.groupBy, r), model: r.model, ...sums(r) }));
  const grid = completeGrid(keyed, query.models).sort(compareRows(query.models));
  const totalByModel = new Map(rows.filter((r) => r.total).map((r) => [r.model, sums(r)]));
  const totals: RoiTotalDto[] = query.models.map((model) => ({
    model,
    currency: query.currency,
    ...roiFigures(totalByModel.get(model) ?? ZERO_SUMS, query.currency),
  }));
  return {
    from: query.from,
    to: query.to,
    currency: query.currency,
    groupBy: query.groupBy,
    models: query.models,
    rows: grid.map((g): RoiRowDto => ({ ...g.key, model: g.model, currency: query.currency, ...roiFigures(g, query.currency) })),
    totals,
  };
}

function groupKey(groupBy: GroupBy, row: ReportRow): GroupKey {
  const key: GroupKey = {};
  if (groupBy !== 'channel') {
    const none = row.campaign_key === NO_CAMPAIGN;
    key.campaignId = none ? null : row.campaign_key ?? null;
    key.campaignName = none ? NO_CAMPAIGN_NAME : row.campaign_name ?? null;
  }
  if (groupBy !== 'campaign') key.channel = row.channel ?? '';
  return key;
}
