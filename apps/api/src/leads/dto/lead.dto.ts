import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { CONSENT_STATUSES, LIFECYCLE_STAGES, LifecycleStage } from '@ce/db';

export class ConsentDto {
  @ApiProperty({ enum: CONSENT_STATUSES })
  status!: string;

  @ApiProperty()
  changedAt!: Date;

  @ApiProperty({ example: 'api' })
  source!: string;
}

export class LeadDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  firstName!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  lastName!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  company!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  jobTitle!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  phone!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  country!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  timeZone!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  sourceChannel!: string | null;

  @ApiProperty({ enum: LIFECYCLE_STAGES })
  lifecycleStage!: LifecycleStage;

  @ApiProperty()
  score!: number;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' })
  ownerId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  attributes!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  externalIds!: Record<string, string>;

  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/ConsentDto' } })
  consent!: Record<string, ConsentDto>;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);

export class ListLeadsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a cursor from a previous page' })
  after?: string;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES })
  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  lifecycleStage?: LifecycleStage;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  ownerId?: string;

  @ApiPropertyOptional({ description: 'Leads with at least this score.' })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  minScore?: number;

  @ApiPropertyOptional({ description: 'Leads with at most this score.' })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  maxScore?: number;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  createdAfter?: string;

  @ApiPropertyOptional({ example: '2026-12-31T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  createdBefore?: string;

  @ApiPropertyOptional({ description: 'Leads whose email contains this text.' })
  @IsOptional()
  emailContains?: string;
}

export class LeadPageDto {
  @ApiProperty({ type: [LeadDto] })
  items!: LeadDto[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as `after` for the next page; null on the last.' })
  nextCursor!: string | null;
}

export class UpsertLeadResultDto {
  @ApiProperty({ enum: ['created', 'updated', 'unchanged'] })
  outcome!: string;

  @ApiProperty({ type: LeadDto })
  lead!: LeadDto;
}

export class ConsentChangeDto {
  @ApiProperty({ enum: CONSENT_STATUSES })
  @IsIn(CONSENT_STATUSES)
  status!: string;
}

