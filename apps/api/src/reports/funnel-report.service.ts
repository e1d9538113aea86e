import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import { LIFECYCLE_STAGES, withPgClient } from '@ce/db';
import { InputInvalidError, NotFoundError } from '@ce/errors';
import { inReportSnapshot } from './currency-conversion';
import { FunnelReportDto, FunnelReportQuery, FunnelStageDto } from './dto/funnel.dto';
import { FunnelQuery, parseFunnelQuery } from './funnel-query';
import { funnelReportSql } from './funnel-report.sql';
import type { ReportFormat } from './report-query';
import { ratio } from './roi-math';

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

  async report(raw: FunnelReportQuery): Promise<{ format: ReportFormat; report: FunnelReportDto }> {
    const { query, problems } = parseFunnelQuery({ ...raw });
    if (!query) throw new InputInvalidError(problems);
    const rows = await withPgClient(this.em, (client) =>
      inReportSnapshot(client, async () => {
        if (query.campaignId) await requireCampaign(client, query.campaignId);
        const params: unknown[] = [query.from, query.to, FUNNEL_STAGES];
        if (query.campaignId) params.push(query.campaignId);
        return (await client.query<FunnelRow>(funnelReportSql(query.campaignId !== null), params)).rows;
      }),
    );
    return { format: query.format, report: assembleFunnel(query, rows) };
  }
}

/** A 404 when the campaign does not exist: a report of nobody would hide a wrong id. */
export async function requireCampaign(client: ClientBase, campaignId: string): Promise<void> {
  const found = await client.query('select 1 from campaigns where id = $1::uuid', [campaignId]);
  if (found.rowCount === 0) throw new NotFoundError('Campaign', campaignId);
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
