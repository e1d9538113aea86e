import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_URL_LENGTH } from '@activities/webhook/webhook.step';
import { SLA_BREACH_ACTIONS, SlaBreachAction } from '@ce/db';
import {
  MAX_REASSIGNMENTS,
  MAX_ROUTING_RULES,
  MAX_RULE_REPS,
  MAX_SLA_MINUTES,
  MAX_SUBJECT_LENGTH,
  MAX_TEXT_LENGTH,
} from '../routing-settings-input';

/*
 * The bodies of `GET` and `PUT /v1/sales/routing`, for the API documentation. A PUT is checked
 * by `parseRoutingSettings` (routing-settings-input.ts) and then against the attributes,
 * segments and reps of now, which reports every problem in one 400, with its path.
 */

export class RoutingRuleDto {
  @ApiProperty({ example: 'dach', pattern: '^[a-z0-9_-]{1,64}$', description: 'Unique among the rules: 1 to 64 lower-case letters, digits, - and _.' })
  id!: string;

  @ApiProperty({ example: 'Germany and Austria', minLength: 1, maxLength: 200 })
  name!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { field: 'country', op: 'in', value: ['DE', 'AT'] },
    description: 'A segment condition, as in a segment definition: a territory (`{ "field": "country", "op": "in", "value": ["DE", "AT"] }`), a segment (`{ "inSegment": "<id>" }`), or any other.',
  })
  when!: Record<string, unknown>;

  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_RULE_REPS, description: 'The reps leads that meet the condition go to.' })
  repIds!: string[];
}

export class PutRoutingSettingsDto {
  @ApiProperty({
    type: [RoutingRuleDto],
    maxItems: MAX_ROUTING_RULES,
    description: 'Tried in order: a lead goes to a rep of the first rule whose condition it meets, or to any active rep when none does. An empty list routes every lead to any active rep.',
  })
  rules!: RoutingRuleDto[];

  @ApiProperty({ example: 240, minimum: 1, maximum: MAX_SLA_MINUTES, description: 'Minutes an owner has to accept or reject a lead (at most 30 days).' })
  slaMinutes!: number;

  @ApiProperty({ enum: SLA_BREACH_ACTIONS, description: 'What happens when the owner lets the time run out: the lead goes to another rep, or to the escalation email.' })
  onSlaBreach!: SlaBreachAction;

  @ApiProperty({ example: 2, minimum: 0, maximum: MAX_REASSIGNMENTS, description: 'Reassignments after missed SLAs before the hand-off is escalated instead.' })
  maxReassignments!: number;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'sales-lead@example.com', description: 'Who hears of a hand-off nobody accepted in time; required when onSlaBreach is escalate.' })
  escalationEmail?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_URL_LENGTH, description: 'Where the signed hand-off webhook goes for reps without a URL of their own; none when null.' })
  webhookUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_SUBJECT_LENGTH, description: "The owner's email subject (handlebars); the built-in one when null." })
  emailSubject?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_TEXT_LENGTH, description: "The owner's email text (handlebars); the built-in one when null." })
  emailText?: string | null;
}

export class RoutingSettingsDto {
  @ApiProperty({ type: [RoutingRuleDto], description: 'The rules in the order they are tried.' })
  rules!: RoutingRuleDto[];

  @ApiProperty({ example: 240 })
  slaMinutes!: number;

  @ApiProperty({ enum: SLA_BREACH_ACTIONS })
  onSlaBreach!: SlaBreachAction;

  @ApiProperty({ example: 2 })
  maxReassignments!: number;

  @ApiProperty({ type: String, nullable: true })
  escalationEmail!: string | null;

  @ApiProperty({ type: String, nullable: true })
  webhookUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Null: the built-in subject.' })
  emailSubject!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Null: the built-in text.' })
  emailText!: string | null;

  @ApiProperty({ description: 'When the settings were last changed.' })
  updatedAt!: Date;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The API key that last changed them; null before anyone did.' })
  updatedByKeyId!: string | null;
}
