import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { StageThresholdsDto } from './scoring-model.dto';

export class ScoredTouchpointDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'visit' })
  type!: string;

  @ApiProperty({ example: 'web' })
  channel!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  campaignId!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt!: Date;

  @ApiProperty({ example: 0.7071, description: 'What it still counts for after decay: 2^(−age / half-life), to 4 decimals.' })
  weight!: number;

  @ApiProperty({ example: 7.07, description: 'The rule\'s points times its weight, to 2 decimals (before the cap).' })
  points!: number;
}

export class ScoreAdjustmentDto {
  @ApiProperty({ example: 10 })
  points!: number;

  @ApiProperty({ type: String, nullable: true, example: 'Downloaded the guide' })
  reason!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  campaignId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  stepId!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  at!: Date;
}

export class ScoreContributionDto {
  @ApiProperty({ example: 'pricing-visits', description: 'The rule\'s id; `adjustments` for the points flows gave.' })
  ruleId!: string;

  @ApiProperty({ enum: ['fit', 'behaviour', 'negative', 'adjustment'] })
  kind!: string;

  @ApiProperty({ example: 'Visited the pricing page' })
  name!: string;

  @ApiProperty({ example: 17.5, description: 'What the line adds (negative: takes away), to 2 decimals.' })
  points!: number;

  @ApiPropertyOptional({ example: 3, description: 'behaviour: how many touchpoints counted.' })
  events?: number;

  @ApiPropertyOptional({ description: 'behaviour: the rule was held to its cap.' })
  capped?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'fit and negative: the condition that holds.' })
  when?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 60, description: 'negative inactivity rules: the days without a touchpoint it asks for.' })
  inactiveDays?: number;

  @ApiPropertyOptional({ type: [ScoredTouchpointDto], description: 'behaviour: the latest touchpoints behind the line (up to 20), newest first.' })
  touchpoints?: ScoredTouchpointDto[];

  @ApiPropertyOptional({ type: [ScoreAdjustmentDto], description: 'adjustments: each step that gave or took points (up to 50), newest first.' })
  adjustments?: ScoreAdjustmentDto[];
}

export class PredictedChanceDto {
  @ApiProperty({ example: 0.62, description: 'The chance, from 0 to 1 (4 decimals), that the lead converts, by the predictive score.' })
  chance!: number;

  @ApiProperty({ example: 4, description: 'The predictive model version that gave it.' })
  version!: number;
}

export class ScoreExplanationDto {
  @ApiProperty({ format: 'uuid' })
  leadId!: string;

  @ApiProperty({ example: 42, description: 'The score as worked out now: the sum of the contributions, rounded to a whole number.' })
  score!: number;

  @ApiProperty({ type: String, format: 'date-time', description: 'When it was worked out (now): behaviour points decay with time.' })
  computedAt!: Date;

  @ApiProperty({ example: 41, description: 'The score stored on the lead, which the sales queue and segments sort by.' })
  storedScore!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the stored score was last worked out; null if never.' })
  storedAt!: Date | null;

  @ApiProperty({ example: 'lead' })
  lifecycleStage!: string;

  @ApiProperty({ type: Number, nullable: true, example: 3, description: 'The scoring model version in force; null when none has been saved.' })
  modelVersion!: number | null;

  @ApiProperty({ type: StageThresholdsDto, nullable: true })
  thresholds!: StageThresholdsDto | null;

  @ApiProperty({ type: [ScoreContributionDto], description: 'Every rule that gives or takes points, largest effect first.' })
  contributions!: ScoreContributionDto[];

  @ApiProperty({ type: PredictedChanceDto, nullable: true, description: 'The predictive score beside the rule score; null before a predictive model is trained (see GET /v1/scoring/predictive).' })
  predicted!: PredictedChanceDto | null;
}
