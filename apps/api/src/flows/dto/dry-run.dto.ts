import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { MAX_VERSION } from './version.dto';

export const MAX_SIMULATED_EVENTS = 1_000;

/** A published version number, or the string `draft`. */
const IsVersionOrDraft = () =>
  ValidateBy({
    name: 'isVersionOrDraft',
    validator: {
      validate: (value: unknown) => value === 'draft' || (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_VERSION),
      defaultMessage: () => 'must be a version number or "draft"',
    },
  });

export class SimulatedEventDto {
  @ApiProperty({ example: 'opened', description: 'opened, clicked, converted, unsubscribed, or any touchpoint type.' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be an event type such as opened, clicked or converted' })
  type!: string;

  @ApiPropertyOptional({ example: 'welcome', description: 'The step whose message the event is about.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  step?: string;

  @ApiPropertyOptional({ example: 'https://example.com/pricing', description: 'The link clicked, for clicked events.' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ example: '2030-01-01T10:00:00Z', description: 'When it happens. Give `at` or `after`, not both.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  at?: string;

  @ApiPropertyOptional({ example: '1h', description: 'How long after the start it happens, e.g. "1h", "2d", "PT30M".' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  after?: string;
}

export class DryRunDto {
  @ApiProperty({ format: 'uuid', description: 'A real lead; branch conditions on the lead read its data as it is now.' })
  @IsUUID('all', { message: 'must be a UUID' })
  leadId!: string;

  @ApiPropertyOptional({
    oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string', enum: ['draft'] }],
    description: 'A published version, or "draft". Default: the latest version, or the draft when none is published.',
  })
  @IsOptional()
  @IsVersionOrDraft()
  version?: number | 'draft';

  @ApiPropertyOptional({ example: '2030-01-01T09:00:00Z', description: 'When the lead enters the flow; now by default.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  startAt?: string;

  @ApiPropertyOptional({ type: [SimulatedEventDto], maxItems: MAX_SIMULATED_EVENTS, description: 'What the lead does, and when.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SIMULATED_EVENTS)
  @ValidateNested({ each: true })
  @Type(() => SimulatedEventDto)
  events?: SimulatedEventDto[];

  @ApiPropertyOptional({ example: '90d', default: '365d', description: 'How far to look ahead; at most 3650d.' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  horizon?: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin', default: 'UTC', description: "The campaign's time zone, for wait_until steps." })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;
}

export class DryRunStepDto {
  @ApiProperty({ example: 'welcome' })
  stepId!: string;

  @ApiProperty({ example: 'send_email' })
  type!: string;

  @ApiProperty({ example: '2030-01-01T09:00:00.000Z', description: 'When the lead enters the step.' })
  at!: string;

  @ApiPropertyOptional({ example: 'send template 6f1c1c8e-…', description: 'What an action step would do.' })
  action?: string;

  @ApiPropertyOptional({ example: 'waits until 2030-01-04T09:00:00.000Z', description: 'What happened at a control step.' })
  note?: string;
}

export class DryRunEndDto {
  @ApiProperty({ enum: ['completed', 'exited'] })
  status!: string;

  @ApiProperty({ example: 'flow_finished' })
  reason!: string;

  @ApiProperty()
  at!: string;
}

export class DryRunAwaitingDto {
  @ApiProperty({ enum: ['timer', 'event'] })
  kind!: string;

  @ApiProperty()
  stepId!: string;

  @ApiProperty({ description: 'When the wait ends, past the horizon.' })
  until!: string;
}

export class DryRunEventDto {
  @ApiProperty()
  type!: string;

  @ApiProperty()
  at!: string;

  @ApiProperty({ enum: ['fed', 'after_end', 'beyond_horizon'], description: 'Whether the flow saw it.' })
  outcome!: string;
}

export class DryRunResultDto {
  @ApiProperty({ example: 1, oneOf: [{ type: 'integer' }, { type: 'string', enum: ['draft'] }] })
  version!: number | 'draft';

  @ApiProperty()
  startAt!: string;

  @ApiProperty({ description: 'The end of the look-ahead.' })
  horizonAt!: string;

  @ApiProperty({ type: [DryRunStepDto] })
  path!: DryRunStepDto[];

  @ApiProperty({ type: DryRunEndDto, nullable: true, description: 'Null when the lead is still waiting at the horizon.' })
  end!: DryRunEndDto | null;

  @ApiPropertyOptional({ type: DryRunAwaitingDto, description: 'What the lead still waits on at the horizon.' })
  awaiting?: DryRunAwaitingDto;

  @ApiProperty({ type: [DryRunEventDto] })
  events!: DryRunEventDto[];

  @ApiProperty({ description: 'True when the run stopped at the step limit.' })
  truncated!: boolean;
}
