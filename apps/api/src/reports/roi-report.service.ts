import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { NO_CAMPAIGN } from '@ce/db';
import { InputInvalidError } from '@ce/errors';
import { BASE_CURRENCY, CURRENCY_CODES, CURRENCY_DIGITS, queryConverted } from './currency-conversion';
import { RoiReportDto, RoiReportQuery, RoiRowDto, RoiTotalDto } from './dto/roi-report.dto';
import type { FormattedReport } from './report-answer';
import { inReportSnapshot } from './report-snapshot';
import { compareRows, completeGrid, GroupKey, groupsOf, KeyedSums, reportFigures, ReportSumsRow, sumsOfRow, ZERO_SUMS } from './roi-math';
import { periodsOf } from './roi-periods';
import { GroupBy, parseRoiQuery, RoiQuery } from './roi-query';
import { MAX_REPORT_ROWS, ReportTooLargeError } from './roi-report.errors';
import { RATE_CHECK_SQL, roiReportSql } from './roi-report.sql';

export interface ReportRow extends ReportSumsRow {
  period?: string | null;
  campaign_key?: string | null;
  campaign_name?: string | null;
  channel?: string | null;
  model: string;
  total: boolean;
}

const NO_CAMPAIGN_NAME = '(no campaign)';

/**
 * Participation, conversions, revenue, cost and the ratios between them, by campaign and/or
 * channel (or not grouped), per model, over a range or per period.
 */
@Injectable()
export class RoiReportService {
  constructor(private readonly em: EntityManager) {}

  async report(raw: RoiReportQuery): Promise<FormattedReport<RoiReportDto>> {
    const { query, problems } = parseRoiQuery({ ...raw });
    if (!query) throw new InputInvalidError(problems);
    const params = [query.from, query.to, query.models, query.currency, BASE_CURRENCY];
    const rows = await inReportSnapshot(this.em, async (client) => {
      // The planner cannot size the statement's intermediate results (a year of roll-ups
      // against a few hundred days of rates): it would sort both sides to merge them, where
      // hashing the small side is several times faster, and its inflated cost would switch on
      // JIT compilation, which takes longer than the statement. For this transaction only.
      await client.query('set local enable_mergejoin = off');
      await client.query('set local jit = off');
      const check = { sql: RATE_CHECK_SQL, params, currency: query.currency };
      return queryConverted<ReportRow>(client, roiReportSql(query.groupBy, query.interval), [...params, CURRENCY_CODES, CURRENCY_DIGITS], check);
    });
    return { format: query.format, report: assemble(query, rows) };
  }
}

/**
 * The report from the statement's rows: a full grid of (periods ×) groups × models, sorted, and
 * the totals. Refuses a grid of more than `MAX_REPORT_ROWS` rows.
 */
export function assemble(query: RoiQuery, rows: readonly ReportRow[]): RoiReportDto {
  const grouped = query.groupBy !== 'none' || query.interval !== undefined;
  const keyed: KeyedSums[] = rows
    .filter((r) => !r.total)
    .map((r) => ({ key: groupKey(query.groupBy, r), model: r.model, ...(query.interval ? { period: r.period ?? '' } : {}), ...sumsOfRow(r) }));
  const periods = query.interval ? periodsOf(query.from, query.to, query.interval) : undefined;
  // Not grouped, there is one group whether anything happened or not.
  const groups = query.groupBy === 'none' ? [{}] : groupsOf(keyed);
  const size = (periods?.length ?? 1) * groups.length * query.models.length;
  if (grouped && size > MAX_REPORT_ROWS) throw new ReportTooLargeError(size, query.interval ? 'interval' : 'groupBy');

  const totalByModel = new Map(rows.filter((r) => r.total).map((r) => [r.model, sumsOfRow(r)]));
  const totals: RoiTotalDto[] = query.models.map((model) => ({ model, ...reportFigures(totalByModel.get(model) ?? ZERO_SUMS, query.currency) }));
  const grid = grouped
    ? completeGrid(keyed, query.models, periods, groups).sort(compareRows(query.models))
    : query.models.map((model): KeyedSums => ({ key: {}, model, ...(totalByModel.get(model) ?? ZERO_SUMS) }));
  return {
    from: query.from,
    to: query.to,
    currency: query.currency,
    groupBy: query.groupBy,
    interval: query.interval ?? null,
    models: query.models,
    rows: grid.map((g): RoiRowDto => ({ ...(g.period === undefined ? {} : { period: g.period }), ...g.key, model: g.model, ...reportFigures(g, query.currency) })),
    totals,
  };
}

function groupKey(groupBy: GroupBy, row: ReportRow): GroupKey {
  const key: GroupKey = {};
  if (groupBy === 'campaign' || groupBy === 'campaign,channel') {
    const none = row.campaign_key === NO_CAMPAIGN;
    key.campaignId = none ? null : row.campaign_key ?? null;
    key.campaignName = none ? NO_CAMPAIGN_NAME : row.campaign_name ?? null;
  }
  if (groupBy === 'channel' || groupBy === 'campaign,channel') key.channel = row.channel ?? '';
  return key;
}
