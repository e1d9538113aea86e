import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { LIFECYCLE_STAGES } from '@ce/db';
import { InputInvalidError } from '@ce/errors';
import { FunnelReportDto, FunnelReportQuery, FunnelStageDto } from './dto/funnel.dto';
import { FunnelQuery, parseFunnelQuery } from './funnel-query';
import { funnelReportSql } from './funnel-report.sql';
import type { FormattedReport } from './report-answer';
import { inReportSnapshot, requireCampaign } from './report-snapshot';
import { ratio } from '@ce/money';

/** The funnel's steps in order: every lifecycle stage but `disqualified`, which is counted apart. */
export const FUNNEL_STAGES: readonly string[] = LIFECYCLE_STAGES.filter((stage) => stage !== 'disqualified');

export interface FunnelRow {
  stage: string;
  reached: number;
  still_in: number;
  /** Days to 2 decimals, as text; null when no lead entered and left the stage forwards. */
  median_days: string | null;
  leads: number;
  disqualified: number;
}

/** How far a cohort of leads went through the lifecycle stages, and how long each stage took. */
@Injectable()
export class FunnelReportService {
  constructor(private readonly em: EntityManager) {}

  async report(raw: FunnelReportQuery): Promise<FormattedReport<FunnelReportDto>> {
    const { query, problems } = parseFunnelQuery({ ...raw });
    if (!query) throw new InputInvalidError(problems);
    const { campaignId } = query;
    const rows = await inReportSnapshot(this.em, async (client) => {
      if (campaignId) await requireCampaign(client, campaignId);
      const params = [query.from, query.to, FUNNEL_STAGES, ...(campaignId ? [campaignId] : [])];
      return (await client.query<FunnelRow>(funnelReportSql(campaignId !== null), params)).rows;
    });
    return { format: query.format, report: assembleFunnel(query, rows) };
  }
}

/** The report from the statement's rows, one per funnel stage in order. */
export function assembleFunnel(query: FunnelQuery, rows: readonly FunnelRow[]): FunnelReportDto {
  const stages = rows.map((row, i): FunnelStageDto => {
    const next = rows[i + 1];
    return {
      stage: row.stage,
      reached: row.reached,
      stillIn: row.still_in,
      toNextRate: next ? ratio(BigInt(next.reached), BigInt(row.reached)) : null,
      medianDaysInStage: row.median_days === null ? null : Number(row.median_days),
    };
  });
  return {
    from: query.from,
    to: query.to,
    campaignId: query.campaignId,
    leads: rows[0]?.leads ?? 0,
    disqualified: rows[0]?.disqualified ?? 0,
    stages,
  };
}
