import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { FlowDefinition } from '@ce/flows';
import { FieldProblemDto } from '../../common/problem';

export const EXAMPLE_DEFINITION = {
  entry: 'welcome',
  steps: {
    welcome: { type: 'send_email', templateId: '6f1c1c8e-0d7b-4a51-9b0e-2f4f5c1f2a10', next: 'pause' },
    pause: { type: 'wait', duration: '3d', next: 'follow_up' },
    follow_up: { type: 'send_email', templateId: '0b8f3a52-9c0e-4a8e-8d55-5d3f6e0f7b21' },
  },
};

const DEFINITION_DOC = {
  type: 'object',
  additionalProperties: true,
  example: EXAMPLE_DEFINITION,
  description:
    'The flow: `entry` names the first step; `steps` maps step ids to steps; optional `exitRules` and ' +
    '`reenrollment`. Each step has a `type`, its settings, and `next` (absent or null ends the flow). ' +
    'At most 256 KB as JSON. See docs/flows.md.',
} as const;

/** A body that carries a flow definition: a JSON object, checked further by the service. */
export class DefinitionBodyDto {
  @ApiProperty(DEFINITION_DOC)
  @IsObject({ message: 'must be a JSON object with entry and steps' })
  definition!: Record<string, unknown>;
}

export class CreateFlowDto extends DefinitionBodyDto {
  @ApiProperty({ example: 'Onboarding nurture', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    default: true,
    description: 'True: validate in full and publish version 1. False: save the definition as a draft, valid or not.',
  })
  @IsOptional()
  @IsBoolean()
  publish?: boolean;
}

export class DraftDto {
  @ApiProperty(DEFINITION_DOC)
  definition!: Record<string, unknown>;

  @ApiProperty()
  updatedAt!: Date;

  @ApiProperty({ type: [FieldProblemDto], description: 'What would stop it being published, by path; empty when it is valid.' })
  problems!: FieldProblemDto[];
}

export class FlowDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'The latest published version number; null while only a draft exists.' })
  version!: number | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  versionId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The latest published definition.' })
  definition!: FlowDefinition | null;

  @ApiProperty({ type: Date, nullable: true })
  publishedAt!: Date | null;

  @ApiProperty({ type: DraftDto, nullable: true, description: 'The unpublished draft, with its problems; null when there is none.' })
  draft!: DraftDto | null;

  @ApiProperty()
  createdAt!: Date;
}

export class ValidationResultDto {
  @ApiProperty()
  valid!: boolean;

  @ApiProperty({ type: [FieldProblemDto], description: 'Every problem with its path under `definition.`.' })
  problems!: FieldProblemDto[];
}

export class ListFlowsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{40,200}$/, { message: 'must be the nextCursor of a previous page' })
  after?: string;
}

export class FlowSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'The latest published version; null while only a draft exists.' })
  latestVersion!: number | null;

  @ApiProperty()
  hasDraft!: boolean;

  @ApiProperty({ type: Date, nullable: true })
  draftUpdatedAt!: Date | null;

  @ApiProperty()
  createdAt!: Date;
}

export class FlowPageDto {
  @ApiProperty({ type: [FlowSummaryDto], description: 'Newest first.' })
  items!: FlowSummaryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last.' })
  nextCursor!: string | null;
}
