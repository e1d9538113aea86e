import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';
import { CAMPAIGN_STATUSES, CampaignStatus } from '@ce/db';

export const MAX_ENROLL_PER_REQUEST = 1_000;

export class EnrollLeadsDto {
  @ApiProperty({ type: [String], format: 'uuid', description: `Up to ${MAX_ENROLL_PER_REQUEST} leads to add to the running campaign.` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ENROLL_PER_REQUEST)
  @IsUUID('all', { each: true, message: 'each lead id must be a UUID' })
  leadIds!: string[];
}

export const ENROLL_OUTCOMES = ['enrolled', 're_enrolled', 'already_enrolled', 'not_eligible', 'no_consent', 'not_found'] as const;

export class EnrollOutcomeDto {
  @ApiProperty({ format: 'uuid' })
  leadId!: string;

  @ApiProperty({
    enum: ENROLL_OUTCOMES,
    description:
      '`not_eligible`: the flow\'s re-enrollment policy does not allow it yet; `no_consent`: the lead does not consent to the channel.',
  })
  outcome!: (typeof ENROLL_OUTCOMES)[number];

  @ApiPropertyOptional({ format: 'uuid' })
  enrollmentId?: string;

  @ApiPropertyOptional({ description: 'The flow version the new enrollment runs.' })
  flowVersion?: number;
}

export class EnrollResultDto {
  @ApiProperty({ type: [EnrollOutcomeDto] })
  @Type(() => EnrollOutcomeDto)
  results!: EnrollOutcomeDto[];
}

export class CountByKeyDto {
  @ApiProperty()
  key!: string;

  @ApiProperty()
  count!: number;
}

export class StepMessagesDto {
  @ApiProperty()
  stepId!: string;

  @ApiProperty({ type: [CountByKeyDto], description: 'Messages of this step by status (sent, suppressed, bounced, …).' })
  byStatus!: CountByKeyDto[];
}

export class CampaignProgressDto {
  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status!: CampaignStatus;

  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Leads in the audience snapshot (before the consent check).' })
  audienceSize!: number | null;

  @ApiProperty({ description: 'Enrollments made so far; grows while the campaign is launching.' })
  enrolled!: number;

  @ApiProperty()
  active!: number;

  @ApiProperty()
  completed!: number;

  @ApiProperty()
  exited!: number;

  @ApiProperty({ type: [CountByKeyDto], description: 'Why ended journeys ended.' })
  endReasons!: CountByKeyDto[];

  @ApiProperty({ type: [CountByKeyDto], description: 'Enrollments by the flow version they run.' })
  byFlowVersion!: CountByKeyDto[];

  @ApiProperty({ type: [StepMessagesDto] })
  messagesByStep!: StepMessagesDto[];
}

export class JourneyDto {
  @ApiProperty({ format: 'uuid' })
  enrollmentId!: string;

  @ApiProperty()
  sequence!: number;

  @ApiProperty()
  flowVersion!: number;

  @ApiProperty({ enum: ['active', 'completed', 'exited'] })
  status!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  endReason!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Live from the journey, while it runs.' })
  currentStepId!: string | null;

  @ApiProperty()
  paused!: boolean;

  @ApiPropertyOptional({ nullable: true, type: Object, description: 'What the journey waits on: an action, a time or a lookup.' })
  awaiting!: { kind: string; stepId: string; until?: string } | null;

  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Steps entered so far, with times.' })
  path!: { stepId: string; enteredAt: string }[];

  @ApiProperty()
  enrolledAt!: Date;

  @ApiPropertyOptional({ nullable: true, type: Date })
  endedAt!: Date | null;
}

export class LeadIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  leadId!: string;
}
