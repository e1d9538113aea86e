import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNumber, Max, Min } from 'class-validator';

/** The longest look-back window: a year. */
export const MAX_LOOKBACK_DAYS = 365;
export const MAX_HALF_LIFE_DAYS = 365;

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

export class AttributionSettingsDto {
  @ApiProperty({ example: 90, description: 'Touchpoints up to this many days before a conversion earn credit.' })
  lookbackDays!: number;

  @ApiProperty({ example: 7, description: "The time-decay model's half-life in days: a touch this much older than another earns half as much." })
  halfLifeDays!: number;

  @ApiProperty({ description: 'When the settings last changed.' })
  updatedAt!: Date;
}

export class UpdateAttributionSettingsDto {
  @ApiProperty({ example: 90, minimum: 1, maximum: MAX_LOOKBACK_DAYS })
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1)
  @Max(MAX_LOOKBACK_DAYS)
  lookbackDays!: number;

  @ApiProperty({ example: 7, minimum: 0.01, maximum: MAX_HALF_LIFE_DAYS, description: 'Up to 2 decimals.' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }, { message: 'must be a number of days with at most 2 decimals' })
  @Min(0.01)
  @Max(MAX_HALF_LIFE_DAYS)
  halfLifeDays!: number;
}

export class SettingsChangedDto extends AttributionSettingsDto {
  @ApiProperty({ type: RefreshStartedDto, nullable: true, description: 'The refresh that attributes every conversion again under the new settings; null when nothing changed.' })
  refresh!: RefreshStartedDto | null;
}
