import { ApiProperty } from '@nestjs/swagger';

export class PredictiveFeatureDto {
  @ApiProperty({ example: 'touches:visit', description: 'attribute:<name>, attribute:<name>=<option>, country=<code>, source=<channel>, known:company, known:jobTitle, or touches:<type> (log of 1 + touchpoints of that type in the 90 days before).' })
  feature!: string;

  @ApiProperty({ example: 0.84, description: 'Its weight on the standardised feature: the change in log-odds of converting for one standard deviation more.' })
  weight!: number;
}

export class PredictiveScoreDto {
  @ApiProperty({ type: Number, nullable: true, example: 4, description: 'The latest training; null before the first.' })
  version!: number | null;

  @ApiProperty({ enum: ['trained', 'insufficient_data', 'not_trained'], description: 'not_trained: no training has run yet.' })
  status!: string;

  @ApiProperty({ type: String, nullable: true, example: '12 converted leads; at least 20 are needed to fit a predictive score.', description: 'Why no model could be fitted.' })
  reason!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 0.81, description: 'ROC AUC on the leads held out of the fit (a quarter, split by outcome): 0.5 is chance, 1 is perfect.' })
  auc!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  trainedAt!: Date | null;

  @ApiProperty({ example: 20000, description: 'Leads looked at (a fixed sample of at most 200,000).' })
  rows!: number;

  @ApiProperty({ example: 1800, description: 'Converted leads among them.' })
  positives!: number;

  @ApiProperty({ type: Number, nullable: true, example: 15000 })
  trainRows!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 5000 })
  heldOutRows!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 3, description: 'The trained version that scores leads now (the latest with a model); null when none.' })
  inUseVersion!: number | null;

  @ApiProperty({ type: [PredictiveFeatureDto], description: 'The features of the model in use with the largest weights, largest first (up to 10).' })
  features!: PredictiveFeatureDto[];
}

export class TrainingStartedDto {
  @ApiProperty({ example: 'predictive-training' })
  workflowId!: string;

  @ApiProperty()
  runId!: string;
}
