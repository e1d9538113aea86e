import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { InputInvalidError } from '@ce/errors';
import { formatMinor } from '@ce/money';
import { CohortQuery, parseCohortQuery } from './cohort-query';
import { cohortRateCheckSql, cohortReportSql } from './cohort-report.sql';
import { BASE_CURRENCY, CURRENCY_CODES, CURRENCY_DIGITS, queryConverted } from './currency-conversion';
import { CohortDto, CohortReportDto, CohortReportQuery } from './dto/cohorts.dto';
import type { FormattedReport } from './report-answer';
import { inReportSnapshot, requireCampaign } from './report-snapshot';
import { ratio } from '@ce/money';

export interface CohortRow {
  cohort: string;
  customers: number;
  k: number;
  active: number;
  /** Whole minor units of the reporting currency, as text. */
  revenue_minor: string;
  cumulative_minor: string;
  ltv_minor: string;
  unpriced: boolean;
}

/** Customers by the period of their first conversion: how many come back, and what they are worth. */
@Injectable()
export class CohortReportService {
  constructor(private readonly em: EntityManager) {}

  async report(raw: CohortReportQuery): Promise<FormattedReport<CohortReportDto>> {
    const { query, problems } = parseCohortQuery({ ...raw });
    if (!query) throw new InputInvalidError(problems);
    const { campaignId } = query;
    const params = [query.from, query.to, query.interval, query.periods, query.currency, BASE_CURRENCY];
    const campaign = campaignId ? [campaignId] : [];
    const rows = await inReportSnapshot(this.em, async (client) => {
      if (campaignId) await requireCampaign(client, campaignId);
      const check = { sql: cohortRateCheckSql(campaignId !== null), params: [...params, ...campaign], currency: query.currency };
      return queryConverted<CohortRow>(client, cohortReportSql(campaignId !== null), [...params, CURRENCY_CODES, CURRENCY_DIGITS, ...campaign], check);
    });
    return { format: query.format, report: assembleCohorts(query, rows) };
  }
}

/** The report from the statement's rows, ordered by cohort then offset. */
export function assembleCohorts(query: CohortQuery, rows: readonly CohortRow[]): CohortReportDto {
  const cohorts: CohortDto[] = [];
  for (const row of rows) {
    let cohort = cohorts[cohorts.length - 1];
    if (!cohort || cohort.cohort !== row.cohort) cohorts.push((cohort = { cohort: row.cohort, customers: row.customers, periods: [] }));
    cohort.periods.push({
      offset: row.k,
      activeCustomers: row.active,
      retention: ratio(BigInt(row.active), BigInt(row.customers)) ?? 0,
      revenue: formatMinor(row.revenue_minor, query.currency),
      cumulativeRevenue: formatMinor(row.cumulative_minor, query.currency),
      ltv: formatMinor(row.ltv_minor, query.currency),
    });
  }
  return { from: query.from, to: query.to, interval: query.interval, currency: query.currency, periods: query.periods, cohorts };
}
