import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { HANDOFF_STATUSES, LIFECYCLE_STAGES, REJECT_DISPOSITIONS } from '@ce/db';
import { ScoreExplanationDto } from '../../scoring/dto/score-explanation.dto';
import { LeadDto } from '../../leads/dto/lead.dto';
import { TimelineEntryDto } from '../../leads/dto/timeline.dto';

export class HandoffDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: HANDOFF_STATUSES, description: 'routing: looking for an owner; assigned: waiting for the owner to answer; escalated: not answered in time, still with the owner; accepted; rejected.' })
  status!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  repId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the lead became an MQL.' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  assignedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the owner\'s time to answer runs out.' })
  dueAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt!: Date | null;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ type: String, nullable: true, enum: [...REJECT_DISPOSITIONS, null] })
  disposition!: string | null;

  @ApiProperty({ example: 0, description: 'Times it went to another rep after a missed answer.' })
  reassignments!: number;
}

export class QueueReasonDto {
  @ApiProperty({ example: 'pricing' })
  ruleId!: string;

  @ApiProperty({ example: 'Visited pricing' })
  name!: string;

  @ApiProperty({ example: 17.5 })
  points!: number;
}

export class QueueItemDto {
  @ApiProperty({ format: 'uuid' })
  leadId!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true })
  company!: string | null;

  @ApiProperty({ type: String, nullable: true })
  jobTitle!: string | null;

  @ApiProperty({ example: 64 })
  score!: number;

  @ApiProperty({ type: Number, nullable: true, example: 0.62, description: 'The predictive score\'s chance that the lead converts.' })
  predicted!: number | null;

  @ApiProperty({ example: 'mql' })
  lifecycleStage!: string;

  @ApiProperty({ type: [QueueReasonDto], description: 'The three largest contributions to the score.' })
  reasons!: QueueReasonDto[];

  @ApiProperty({ type: HandoffDto, nullable: true, description: 'The lead\'s latest hand-off.' })
  handoff!: HandoffDto | null;
}

export class QueueDto {
  @ApiProperty({ type: [QueueItemDto], description: 'Highest score first (then by lead id).' })
  items!: QueueItemDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last.' })
  nextAfter!: string | null;
}

export class QueueQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Admins and marketers: whose queue. A sales key always sees its own.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  repId?: string;

  @ApiPropertyOptional({ enum: ['open', ...HANDOFF_STATUSES], description: 'Only leads whose latest hand-off has this status; open: assigned or escalated.' })
  @IsOptional()
  @IsIn(['open', ...HANDOFF_STATUSES], { message: `must be one of open, ${HANDOFF_STATUSES.join(', ')}` })
  handoff?: string;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES })
  @IsOptional()
  @IsIn([...LIFECYCLE_STAGES], { message: `must be one of ${LIFECYCLE_STAGES.join(', ')}` })
  stage?: string;

  @ApiPropertyOptional({ description: 'Only leads with at least this score.' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value))
  @IsInt({ message: 'must be a whole number' })
  @Min(-1_000_000_000, { message: 'is too small' })
  @Max(1_000_000_000, { message: 'is too large' })
  minScore?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value))
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(200, { message: 'must be at most 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextAfter` of the previous page.' })
  @IsOptional()
  @IsString()
  @Matches(/^-?\d{1,10}_[0-9a-f-]{36}$/, { message: 'must be the nextAfter of a previous page' })
  after?: string;
}

export class RejectLeadDto {
  @ApiProperty({ example: 'No budget this year', maxLength: 1000 })
  @IsString({ message: 'must be text' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(1000, { message: 'must be at most 1000 characters' })
  reason!: string;

  @ApiProperty({ enum: REJECT_DISPOSITIONS, description: 'disqualify: the lead is disqualified; recycle: it goes back to nurture as a lead, with no owner.' })
  @IsIn([...REJECT_DISPOSITIONS], { message: `must be one of ${REJECT_DISPOSITIONS.join(', ')}` })
  disposition!: string;
}

export class HandoffDecisionDto {
  @ApiProperty({ format: 'uuid' })
  leadId!: string;

  @ApiProperty({ example: 'sql', description: 'The lead\'s stage after the answer.' })
  lifecycleStage!: string;

  @ApiProperty({ type: HandoffDto })
  handoff!: HandoffDto;
}

export class SalesLeadDto extends LeadDto {
  @ApiProperty({ type: HandoffDto, nullable: true, description: 'The latest hand-off.' })
  handoff!: HandoffDto | null;

  @ApiProperty({ type: ScoreExplanationDto })
  explanation!: ScoreExplanationDto;

  @ApiProperty({ type: [TimelineEntryDto], description: 'The latest 50 entries, newest first.' })
  timeline!: TimelineEntryDto[];
}
