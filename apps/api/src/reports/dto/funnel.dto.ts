import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { ReportFormatQuery, ReportRangeQuery } from './report-query.dto';

/**
 * The query of `GET /v1/reports/funnel`. Only names and types are checked here (unknown
 * parameters are refused); `parseFunnelQuery` checks the values and reports every problem at once.
 */
export class FunnelReportQuery extends IntersectionType(ReportRangeQuery, ReportFormatQuery) {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The cohort becomes the leads enrolled in this campaign in the range (instead of the leads created in it). An unknown campaign is a 404.',
  })
  @IsOptional()
  @IsString()
  campaignId?: string;
}

export class FunnelStageDto {
  @ApiProperty({ example: 'mql', description: 'subscriber, lead, mql, sql, opportunity, customer, in that order.' })
  stage!: string;

  @ApiProperty({ example: 40, description: 'Leads of the cohort that ever held this stage or a later one.' })
  reached!: number;

  @ApiProperty({ example: 12, description: 'Leads of the cohort whose current stage is this one.' })
  stillIn!: number;

  @ApiProperty({ type: Number, nullable: true, example: 0.45, description: 'reached of the next stage / reached of this one, to 4 decimals; null when this one is 0, and for customer.' })
  toNextRate!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 6.5,
    description: 'Median days (2 decimals) from entering the stage to leaving it for a later one, over the leads that did; null when none did.',
  })
  medianDaysInStage!: number | null;
}

export class FunnelReportDto {
  @ApiProperty({ example: '2026-05-01' })
  from!: string;

  @ApiProperty({ example: '2026-05-31' })
  to!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  campaignId!: string | null;

  @ApiProperty({ example: 100, description: 'Leads in the cohort.' })
  leads!: number;

  @ApiProperty({ example: 7, description: 'Leads of the cohort whose current stage is disqualified (not a funnel step).' })
  disqualified!: number;

  @ApiProperty({ type: [FunnelStageDto], description: 'One per funnel stage, in order.' })
  stages!: FunnelStageDto[];
}
