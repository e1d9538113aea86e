import { ApiProperty } from '@nestjs/swagger';

export class RefreshStartedDto {
  @ApiProperty({ example: 'attribution-refresh', description: 'The refresh workflow; a refresh already running is returned rather than a second one started.' })
  workflowId!: string;

  @ApiProperty({ description: 'The run of that workflow.' })
  runId!: string;
}

export class ChannelWeightDto {
  @ApiProperty({ enum: ['markov', 'shapley'] })
  model!: string;

  @ApiProperty({ example: 'paid_search' })
  channel!: string;

  @ApiProperty({ example: 0.42, description: 'Markov: the removal effect (0–1). Shapley: the channel\'s share of all conversions.' })
  weight!: number;

  @ApiProperty({ description: 'When the weights were computed.' })
  computedAt!: Date;
}
