import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import type { FlowDefinition } from '@ce/flows';

export const MAX_VERSION = 1_000_000_000;

const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value);

export class VersionParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  id!: string;

  @ApiProperty({ type: Number, minimum: 1, example: 2 })
  @Transform(toInteger)
  @IsInt({ message: 'must be a version number' })
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;
}

/** A version number, or `draft` for the flow's draft. */
const VERSION_OR_DRAFT = /^(draft|[1-9]\d{0,8})$/;

export class DiffQuery {
  @ApiProperty({ example: '1', description: 'A version number, or `draft`.' })
  @IsString()
  @Matches(VERSION_OR_DRAFT, { message: 'must be a version number or "draft"' })
  from!: string;

  @ApiProperty({ example: 'draft', description: 'A version number, or `draft`.' })
  @IsString()
  @Matches(VERSION_OR_DRAFT, { message: 'must be a version number or "draft"' })
  to!: string;
}

export class FlowVersionDto {
  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  @ApiProperty({ example: 2 })
  version!: number;

  @ApiProperty({ format: 'uuid' })
  versionId!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Immutable once published.' })
  definition!: FlowDefinition;

  @ApiProperty()
  publishedAt!: Date;
}

export class FlowVersionSummaryDto {
  @ApiProperty({ example: 2 })
  version!: number;

  @ApiProperty({ format: 'uuid' })
  versionId!: string;

  @ApiProperty({ description: 'How many steps the version has.' })
  steps!: number;

  @ApiProperty()
  publishedAt!: Date;
}

export class SettingChangeDto {
  @ApiProperty({ example: 'duration' })
  setting!: string;

  @ApiPropertyOptional({ description: 'Absent when the setting was not there before.', example: '3d' })
  before?: unknown;

  @ApiPropertyOptional({ description: 'Absent when the setting was removed.', example: '5d' })
  after?: unknown;
}

export class StepChangeDto {
  @ApiProperty({ example: 'pause' })
  stepId!: string;

  @ApiProperty({ type: [SettingChangeDto], description: 'Each setting (type, next, …) whose value differs.' })
  settings!: SettingChangeDto[];
}

export class StepEntryDto {
  @ApiProperty({ example: 'reminder' })
  stepId!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  step!: unknown;
}

export class ValueChangeDto {
  @ApiPropertyOptional({ description: 'Absent when it was not set.' })
  before?: unknown;

  @ApiPropertyOptional({ description: 'Absent when it is no longer set.' })
  after?: unknown;
}

export class StepsDiffDto {
  @ApiProperty({ type: [StepEntryDto] })
  added!: StepEntryDto[];

  @ApiProperty({ type: [StepEntryDto] })
  removed!: StepEntryDto[];

  @ApiProperty({ type: [StepChangeDto] })
  changed!: StepChangeDto[];
}

export class FlowDiffDto {
  @ApiProperty({ example: '1', description: 'The version compared from, or `draft`.' })
  from!: string;

  @ApiProperty({ example: '2' })
  to!: string;

  @ApiProperty({ description: 'True when the two definitions are the same.' })
  identical!: boolean;

  @ApiProperty({ type: StepsDiffDto })
  steps!: StepsDiffDto;

  @ApiProperty({ type: ValueChangeDto, nullable: true, description: 'Null when the entry step is the same.' })
  entry!: ValueChangeDto | null;

  @ApiProperty({ type: ValueChangeDto, nullable: true, description: 'Null when the exit rules are the same.' })
  exitRules!: ValueChangeDto | null;

  @ApiProperty({ type: ValueChangeDto, nullable: true, description: 'Null when the re-enrollment policy is the same.' })
  reenrollment!: ValueChangeDto | null;
}
