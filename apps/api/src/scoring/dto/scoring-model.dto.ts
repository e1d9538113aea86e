import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RULE_KINDS, SCORING_LIMITS as L } from '@ce/scoring';

export class EventMatchDto {
  @ApiPropertyOptional({ type: [String], example: ['visit'], description: 'Touchpoint types that count (lower-case words); any type when absent. One name or a list.' })
  type?: string[];

  @ApiPropertyOptional({ type: [String], example: ['web'], description: 'Channels that count; any channel when absent. One name or a list.' })
  channel?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Only touchpoints of this campaign.' })
  campaignId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { path: '/pricing' }, description: 'Only touchpoints whose properties contain these values.' })
  properties?: Record<string, unknown>;
}

export class ScoringRuleDto {
  @ApiProperty({ example: 'pricing-visits', description: 'Unique in the model: 1–64 lower-case letters, digits, - and _. Explanations name it.' })
  id!: string;

  @ApiProperty({ enum: RULE_KINDS, description: 'fit: who the lead is (a condition); behaviour: what it did (touchpoints, with a cap and decay); negative: what counts against it (a condition, or inactivity).' })
  kind!: string;

  @ApiProperty({ example: 'Visited the pricing page', maxLength: L.maxNameLength, description: 'What sales read in an explanation.' })
  name!: string;

  @ApiProperty({ example: 10, description: `Whole points from -${L.maxPoints} to ${L.maxPoints}, not 0; below 0 in a negative rule. A behaviour rule gives them per touchpoint.` })
  points!: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { field: 'jobTitle', op: 'contains', value: 'director' },
    description: 'fit and negative rules: a segment condition (fields, attributes, consent, behaviour, segments) that must hold. It may not test score, lifecycleStage, ownerId or updatedAt.',
  })
  when?: Record<string, unknown> | null;

  @ApiPropertyOptional({ type: EventMatchDto, description: 'behaviour rules: which touchpoints count.' })
  event?: EventMatchDto;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 30, description: `behaviour rules: the most the rule gives in all (1–${L.maxCap}); unlimited when null.` })
  cap?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 14, description: `behaviour rules: days after which a touchpoint counts half (2^(−age / half-life)); no decay when null.` })
  halfLifeDays?: number | null;

  @ApiPropertyOptional({ example: L.defaultLookbackDays, description: `behaviour rules: touchpoints older than this many days do not count (1–${L.maxLookbackDays}; default ${L.defaultLookbackDays}).` })
  lookbackDays?: number;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 60, description: 'negative rules instead of when: no touchpoint for this many days (and the lead at least that old).' })
  inactiveDays?: number | null;
}

export class StageThresholdsDto {
  @ApiProperty({ example: 50, description: 'A subscriber or lead whose score reaches this becomes an MQL and is handed to sales.' })
  mql!: number;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 10, description: 'A subscriber whose score reaches this becomes a lead; never by score when null. Not above mql.' })
  lead?: number | null;
}

export class PutScoringModelDto {
  @ApiProperty({ type: [ScoringRuleDto], description: `Up to ${L.maxRules} rules.` })
  rules!: ScoringRuleDto[];

  @ApiProperty({ type: StageThresholdsDto })
  thresholds!: StageThresholdsDto;
}

export class ScoringModelDto extends PutScoringModelDto {
  @ApiProperty({ type: Number, nullable: true, example: 3, description: 'The version, numbered from 1; null before a model is saved.' })
  version!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  createdAt!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The API key that saved it.' })
  createdByKeyId!: string | null;
}

export class RecomputeStartedDto {
  @ApiProperty({ example: 'score-recompute' })
  workflowId!: string;

  @ApiProperty()
  runId!: string;
}

export class ScoringModelSavedDto extends ScoringModelDto {
  @ApiProperty({ type: RecomputeStartedDto, description: 'The recompute of every lead\'s score under the new model (started, or made to start over).' })
  recompute!: RecomputeStartedDto;
}

export class ScoringModelVersionSummaryDto {
  @ApiProperty({ example: 3 })
  version!: number;

  @ApiProperty({ example: 12, description: 'How many rules it has.' })
  rules!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  createdByKeyId!: string | null;
}
