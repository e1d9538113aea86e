import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_PATTERN_ALTERNATIVES, MAX_PATTERN_LENGTH, MAX_PATTERN_WILDCARDS } from '@ce/attribution';
import { MAX_CHANNEL_RULES } from '../channel-rule-input';

/*
 * The bodies of `GET` and `PUT /v1/channel-rules`, for the API documentation. A PUT is checked
 * by `parseChannelRules` (channel-rule-input.ts), which reports every problem in one 400, with
 * its path.
 */

const PATTERNS = {
  oneOf: [
    { type: 'string', maxLength: MAX_PATTERN_LENGTH },
    { type: 'array', items: { type: 'string', maxLength: MAX_PATTERN_LENGTH }, minItems: 1, maxItems: MAX_PATTERN_ALTERNATIVES },
  ],
};
const PATTERN_RULES =
  `matched against the lower-cased, trimmed value: an exact value, a value with * wildcards (each * matches any characters; every other character is literal), ` +
  `or a list of up to ${MAX_PATTERN_ALTERNATIVES} such alternatives. At most ${MAX_PATTERN_LENGTH} characters and ${MAX_PATTERN_WILDCARDS} * each; "" matches a missing value.`;

export class ChannelRuleDto {
  @ApiProperty({ example: 'partners', maxLength: 32, description: 'The channel of touchpoints the rule matches: a lower-case word of letters, digits and _.' })
  channel!: string;

  @ApiPropertyOptional({ ...PATTERNS, example: ['acme', 'acme.*'], description: `Pattern(s) for utm.source, ${PATTERN_RULES}` })
  source?: string | readonly string[];

  @ApiPropertyOptional({ ...PATTERNS, example: '*partner*', description: `Pattern(s) for utm.medium, ${PATTERN_RULES}` })
  medium?: string | readonly string[];
}

export class PutChannelRulesDto {
  @ApiProperty({
    type: [ChannelRuleDto],
    maxItems: MAX_CHANNEL_RULES,
    description: 'Your rules in the order they are tried; each needs a source, a medium or both. An empty list leaves only the defaults.',
  })
  rules!: ChannelRuleDto[];
}

export class ChannelFallbackDto {
  @ApiProperty({ example: 'referral' })
  channel!: string;

  @ApiProperty({ example: 'a source that no rule matches, with no medium' })
  when!: string;
}

export class ChannelTaxonomyDto {
  @ApiProperty({ type: [ChannelRuleDto], description: 'Your rules, tried first, in order. Patterns are shown trimmed and lower-cased.' })
  rules!: ChannelRuleDto[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When your rules were last replaced; null when you have none.' })
  updatedAt!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The API key that last replaced them.' })
  updatedByKeyId!: string | null;

  @ApiProperty({ type: [ChannelRuleDto], description: 'The built-in rules, tried after yours, in order; the first rule that matches wins.' })
  defaults!: ChannelRuleDto[];

  @ApiProperty({ type: [ChannelFallbackDto], description: 'The channel when no rule matches.' })
  fallback!: ChannelFallbackDto[];

  @ApiProperty({ type: [String], example: ['partners', 'email', 'paid_search'], description: 'Every channel the rules can give: yours first, then the defaults\'.' })
  channels!: string[];
}
